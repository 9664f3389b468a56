"""A database cache whose increment is atomic, for counts every process must share.

Django's DatabaseCache increments by reading the value and writing it back, so requests
arriving together read the same count and most of them are lost; django-ratelimit says
as much and refuses it. Here the read and the write happen in one transaction holding
the row: PostgreSQL locks it (SELECT … FOR UPDATE); SQLite's transactions take the write
lock when they begin (settings: transaction_mode IMMEDIATE), which serialises them too.
"""

from __future__ import annotations

from typing import Any

from django.core.cache.backends.db import DatabaseCache
from django.db import connections, router, transaction


class AtomicDatabaseCache(DatabaseCache):
    def incr(self, key: Any, delta: int = 1, version: int | None = None) -> int:
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        with transaction.atomic(using=db):
            if connection.features.has_select_for_update:
                table = connection.ops.quote_name(self._table)  # type: ignore[attr-defined]
                with connection.cursor() as cursor:
                    cursor.execute(
                        f"SELECT cache_key FROM {table} WHERE cache_key = %s FOR UPDATE",
                        [self.make_and_validate_key(key, version=version)],
                    )
            return super().incr(key, delta, version)
