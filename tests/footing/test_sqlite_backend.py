"""The SQLite backend (footing/sqlite) converts placeholders exactly as Django's does.

Only the conversion of `%s` to `?` is remembered per statement text; these hold it to
Django's own regular expression for any text, cold and warm, and check the app's SQLite
connections use it.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.db import connection
from django.db.backends.sqlite3.base import FORMAT_QMARK_REGEX
from hypothesis import given
from hypothesis import strategies as st

from footing.sqlite.base import KEPT_STATEMENTS, CursorWrapper, qmark_style

statements = st.lists(st.sampled_from(["%", "s", "%s", "%%", "?", "'", " ", "a", "("])).map("".join)


@given(query=statements)
def test_any_statement_converts_as_djangos_cold_and_warm(query: str) -> None:
    djangos = FORMAT_QMARK_REGEX.sub("?", query).replace("%%", "%")
    assert qmark_style(query) == djangos
    assert qmark_style(query) == djangos


def test_the_remembered_statements_are_bounded() -> None:
    assert qmark_style.cache_info().maxsize == KEPT_STATEMENTS


@pytest.mark.django_db
def test_the_apps_sqlite_connections_use_it_and_answer_as_before() -> None:
    if connection.vendor != "sqlite":  # (PostgreSQL's backend is Django's own, unchanged)
        assert settings.DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
        return
    assert settings.DATABASES["default"]["ENGINE"] == "footing.sqlite"
    for _ in range(2):  # the first time converts, the second reads the kept text
        with connection.cursor() as cursor:
            assert isinstance(cursor.cursor, CursorWrapper)
            cursor.execute("SELECT '100%%', %s, %s", [7, "a%s"])
            assert cursor.fetchone() == ("100%", 7, "a%s")
            cursor.execute("SELECT :one", {"one": 1})  # the named style goes Django's way
            assert cursor.fetchone() == (1,)
