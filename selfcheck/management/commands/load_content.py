"""`manage.py load_content`: the clinic's content/ folder into the database.

Here rather than in library/ because it checks the self-check rules too, before anything
is written, and selfcheck is the lowest layer that reads both (library.services syncs)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from library.content_files import ContentInvalid, content_read
from library.return_plan import return_plan_read
from library.services import content_sync
from selfcheck.rules import selfcheck_rules_read


class Command(BaseCommand):
    help = "Sync the content/ folder into the database (by slug; safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--path", type=Path, default=settings.CONTENT_DIR)

    def handle(self, *args: Any, path: Path, **options: Any) -> None:
        try:
            bundle = content_read(root=path)
            # The self-check rules live beside the content and name its conditions: check
            # them before anything is written, so a bad rules file loads nothing either.
            selfcheck_rules_read(root=path)
            return_plan_read(root=path, conditions={c.slug for c in bundle.conditions})
            report = content_sync(bundle=bundle)
        except ContentInvalid as error:
            raise CommandError(error.message) from error
        if not report.changed:
            self.stdout.write("Content is up to date.")
            return
        for label, names in (
            ("created", report.created),
            ("updated", report.updated),
            ("archived", report.archived),
            ("published", report.published),
        ):
            if names:
                self.stdout.write(f"{label.capitalize()} {len(names)}: {', '.join(names)}")
