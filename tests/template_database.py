"""The test database, migrated once per set of migrations and copied for each test process.

Creating a test database and running every migration costs each test process ≈ 5 CPU-s
beyond Django's start-up, and `make test` starts six of them (two xdist workers and the
journeys, on SQLite and on PostgreSQL) on every run. The first process to need a database
for this set of migrations migrates it as Django always does, then keeps a copy (SQLite: a
file under build/test-databases/; PostgreSQL: a database in the cluster); every later
process, in this run or the next, starts from a copy of it, and Django's `migrate` then
finds nothing to apply. The copy's name is a digest of every migration file Django loads
(and Django's version), so a changed, added or removed migration makes a new one.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import sqlite3
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import django
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader

FOLDER = Path(settings.BASE_DIR) / "build" / "test-databases"


def migrations_digest() -> str:
    """What the migrated schema depends on: Django's version and every migration's source."""
    digest = hashlib.sha256(f"{django.get_version()}:{connection.vendor}".encode())
    loader = MigrationLoader(None, ignore_no_migrations=True)
    for key, migration in sorted(loader.disk_migrations.items()):
        digest.update(repr(key).encode())
        digest.update(Path(sys.modules[migration.__module__].__file__ or "").read_bytes())
    return digest.hexdigest()[:16]


@contextmanager
def one_at_a_time() -> Iterator[None]:
    """The checkout's test processes take turns: the first migrates, the others copy."""
    FOLDER.mkdir(parents=True, exist_ok=True)
    with (FOLDER / ".lock").open("w") as held:
        fcntl.flock(held, fcntl.LOCK_EX)
        yield


class SqliteTemplate:
    def __init__(self, digest: str) -> None:
        self.path = FOLDER / f"sqlite-{digest}.sqlite3"
        self.test_name = str(connection.settings_dict["TEST"]["NAME"])

    def copy(self) -> bool:
        if not self.path.exists():
            return False
        for leftover in (self.test_name, f"{self.test_name}-wal", f"{self.test_name}-shm"):
            Path(leftover).unlink(missing_ok=True)
        _sqlite_copy(self.path, Path(self.test_name))
        return True

    def keep(self) -> None:
        connection.close()  # (its writes are in the WAL; the backup reads them too)
        part = self.path.with_suffix(".part")
        _sqlite_copy(Path(self.test_name), part)
        os.replace(part, self.path)
        for old in FOLDER.glob("sqlite-*.sqlite3"):
            if old != self.path:
                old.unlink()


def _sqlite_copy(source: Path, target: Path) -> None:
    """A consistent copy of a whole database, WAL included, as one file."""
    reading, writing = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        reading.close()
        writing.close()


class PostgresTemplate:
    def __init__(self, digest: str) -> None:
        self.name = f"footing_template_{digest}"
        names = connection.settings_dict
        self.test_name = names["TEST"].get("NAME") or f"test_{names['NAME']}"  # as Django names it

    def copy(self) -> bool:
        with connection._nodb_cursor() as cursor:
            cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [self.name])
            if cursor.fetchone() is None:
                return False
            cursor.execute(f'DROP DATABASE IF EXISTS "{self.test_name}"')
            cursor.execute(f'CREATE DATABASE "{self.test_name}" TEMPLATE "{self.name}"')
        return True

    def keep(self) -> None:
        connection.close()  # a database is copied only while nobody is connected to it
        with connection._nodb_cursor() as cursor:
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE 'footing\\_template\\_%%'"
            )
            for (old,) in cursor.fetchall():
                cursor.execute(f'DROP DATABASE IF EXISTS "{old}"')
            cursor.execute(f'CREATE DATABASE "{self.name}" TEMPLATE "{self.test_name}"')


def template() -> SqliteTemplate | PostgresTemplate | None:
    """The kept copy for this database, or None where there is no way to keep one."""
    if connection.vendor == "sqlite":
        name = str(connection.settings_dict["TEST"].get("NAME") or "")
        if not name or name == ":memory:" or name.startswith("file:"):
            return None
        return SqliteTemplate(migrations_digest())
    if connection.vendor == "postgresql":
        return PostgresTemplate(migrations_digest())
    return None
