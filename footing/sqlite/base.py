"""Django's SQLite backend, unchanged but for one thing: a statement's `%s` placeholders
are turned into SQLite's `?` once per statement text, not on every execution.

Django's cursor converts them with a regular expression (`(?<!%)%s`, a look-behind) on
each `execute()`. On the check-in upsert (3.5 KB of SQL) that cost ~0.1 ms of CPU per
write on this machine, more than SQLite took to run the statement; the session and
person reads paid it too. The conversion depends on the text alone, so the converted
text is kept (the most recently used statements, a bounded number: SQL with values
written inline, such as long IN lists, cannot grow it without end). Everything else
(features, introspection, `vendor == "sqlite"`, the connection's options) is Django's.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.db.backends.sqlite3 import base

# Distinct statement texts kept per process (a few hundred bytes to a few KB each).
KEPT_STATEMENTS = 1024


@lru_cache(maxsize=KEPT_STATEMENTS)
def qmark_style(query: str) -> str:
    """Django's own conversion ("format" style to "qmark" style), remembered."""
    return base.FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")


class CursorWrapper(base.SQLiteCursorWrapper):
    def convert_query(self, query: str, *, param_names: list[str] | None = None) -> str:
        if param_names is None:
            return qmark_style(query)
        return super().convert_query(query, param_names=param_names)


class DatabaseWrapper(base.DatabaseWrapper):
    def create_cursor(self, name: Any = None) -> Any:
        return self.connection.cursor(factory=CursorWrapper)
