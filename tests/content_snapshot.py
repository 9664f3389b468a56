"""The clinic's content, loaded once per test session and put back in a blink.

`load_content` reads and validates every content file and publishes each routine: a few
seconds, and many tests (every e2e journey, the page tests) start from that content. So
the session loads it once, inside a transaction it rolls back, keeping the rows it wrote;
`restore()` bulk-inserts those rows into a test's empty database (inside the test's
transaction, or committed for a live-server test, which then flushes them as usual).
"""

from __future__ import annotations

from dataclasses import dataclass
from io import StringIO
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection, models, transaction

# Rows every migrated database has anyway (a flush leaves post_migrate to remake them).
NOT_CONTENT = {"contenttypes.contenttype", "auth.permission"}


@dataclass(frozen=True)
class ContentSnapshot:
    rows: dict[type[models.Model], list[dict[str, Any]]]

    @classmethod
    def take(cls) -> ContentSnapshot:
        """Load the content in a transaction, note every row it wrote, then undo it."""
        with transaction.atomic():
            call_command("load_content", path=settings.CONTENT_DIR, stdout=StringIO())
            rows = {
                model: list(model._base_manager.order_by("pk").values())
                for model in apps.get_models(include_auto_created=True)
                if model._meta.label_lower not in NOT_CONTENT
                and model._meta.managed
                and model._base_manager.exists()
            }
            transaction.set_rollback(True)
        return cls(rows=rows)

    def restore(self) -> None:
        """The same rows, same keys, into the current (empty) database. The constraints
        between them are checked when the transaction ends, so the order does not matter."""
        with transaction.atomic():
            for model, rows in self.rows.items():
                model._base_manager.bulk_create([model(**row) for row in rows])
            # Keys were given: sequences (PostgreSQL) must move past them for new rows.
            statements = connection.ops.sequence_reset_sql(no_style(), list(self.rows))
            if statements:
                with connection.cursor() as cursor:
                    for sql in statements:
                        cursor.execute(sql)

    @property
    def models(self) -> set[str]:
        return {model._meta.label_lower for model in self.rows}
