"""The suite's own rules (STYLE.md 18): tests wait on conditions, never on time, and no
skip can turn a regression into a quiet "s". Waiting lives in one helper, tests/waiting.py
(and e2e.conftest.poll_page); a missing prerequisite is made certain instead (make test
installs node, the session builds illustrations)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

from conftest import uses_the_database

ROOT = Path(settings.BASE_DIR)
WAITING = ROOT / "tests" / "waiting.py"
FORBIDDEN = {
    "a sleep": re.compile(r"\btime\.sleep\(|\bsleep\(|\.wait_for_timeout\("),
    "a skip": re.compile(r"pytest\.skip\(|\.skipif\(|mark\.skip\b|pytest\.importorskip\("),
}


def test_no_test_waits_on_time_or_skips() -> None:
    found = []
    for path in sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "e2e").rglob("*.py")]):
        if path in (WAITING, Path(__file__)):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    assert not found, "\n".join(found)


# ---- the second database: `make test` runs on PostgreSQL the tests that can reach one ----
def test_a_test_that_can_reach_the_database_runs_on_both(db: None, request) -> None:
    assert uses_the_database(request.node)


def test_a_test_that_cannot_runs_once_and_really_cannot(request) -> None:
    """Only pytest-django's database fixtures (or its mark) open the database: without
    them a query fails, so the test cannot tell SQLite from PostgreSQL."""
    assert not uses_the_database(request.node)
    with pytest.raises(RuntimeError, match="Database access not allowed"):
        connection.ensure_connection()


def test_make_test_runs_everything_on_sqlite_and_the_database_tests_on_postgresql() -> None:
    recipes = (ROOT / "Makefile").read_text()
    sqlite = re.search(r"^test:.*\n((?:\t.*\n)+)", recipes, flags=re.M)
    postgres = re.search(r"^test-postgres:.*\n((?:\t.*\n)+)", recipes, flags=re.M)
    assert sqlite and postgres
    assert "$(SUITE)" in sqlite[1] and "--database-tests-only" not in sqlite[1]
    assert "PYTEST_ADDOPTS=--database-tests-only && $(SUITE)" in postgres[1]
    suite = re.search(r"^SUITE = .*$", recipes, flags=re.M)
    assert suite and "--database-tests-only" not in suite[0]
