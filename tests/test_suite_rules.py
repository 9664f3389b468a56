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
    """The stages `make test` hands to scripts/stages.py (tests/test_stages.py): every test
    on SQLite, the database tests on PostgreSQL."""
    recipes = (ROOT / "Makefile").read_text()
    variables = dict(
        line.split(" = ", 1) for line in recipes.replace("\\\n", " ").splitlines() if " = " in line
    )
    recipe = recipes.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    listed = dict(
        stage.split(": ", 1)
        for stage in (part.strip("' \t\\\n") for part in recipe.split("'")[1::2])
    )
    assert variables["TESTS"].startswith("$(PYTEST) ") and variables["TESTS"].endswith(" tests")
    assert variables["JOURNEYS"] == "$(PYTEST) e2e"
    assert "--database-tests-only" not in variables["TESTS"] + variables["JOURNEYS"]
    postgres = " ".join(variables["ON_POSTGRES"].split())
    assert "DATABASE_URL=$$url PYTEST_ADDOPTS=--database-tests-only" in postgres
    assert postgres.startswith("url=$$(scripts/postgres.sh start) && ")

    assert listed["tests on SQLite"] == "$(TESTS)"
    assert listed["journeys on SQLite"] == "$(JOURNEYS)"
    assert listed["tests on PostgreSQL (after PostgreSQL)"] == "$(ON_POSTGRES) $(TESTS)"
    assert listed["journeys on PostgreSQL (after PostgreSQL)"] == "$(ON_POSTGRES) $(JOURNEYS)"
    assert listed["PostgreSQL"] == "scripts/postgres.sh start"
    assert "make --no-print-directory lint" in listed["lint"].replace("$(MAKE)", "make")
