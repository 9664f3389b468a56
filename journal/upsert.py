"""The common check-in writes in one SQL statement: a new morning, a replay, a re-answer.

`INSERT ... ON CONFLICT (user, date) DO UPDATE ... WHERE ... RETURNING`, on SQLite and on
PostgreSQL alike. It inserts the day's row, or updates it when this answer is not older
than the stored one and the row is this client id's (or this client id has no row yet).
Anything else (an older answer, a client id moving its row to another day) returns None,
or raises IntegrityError, and journal.services' careful path decides. The statement is
atomic on its own, so concurrent replays still leave one row, and need no transaction.

Written by hand because the ORM has no conditional upsert, and because this is the write
every phone repeats: the statement is built once, and the row is returned from what was
sent plus the four columns the database decides.
"""

from __future__ import annotations

import fcntl
import os
import threading
import uuid
from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from datetime import date, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.db import connection, connections, router
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, ForeignKey

from footing.sql import Columns
from journal.models import CheckIn

# An update stamps updated_at a microsecond after the insert would have, so the returned
# updated_at tells which of the two the statement did, whatever else ran at the same time.
UPDATE_MARK = timedelta(microseconds=1)
# What the database decides: the id, and for an updated row its own client id and birth.
RETURNED = ("id", "client_id", "created_at", "updated_at")
# Never changed by an update: the row keeps its owner, client id, day and creation time.
KEPT = {"user", "client_id", "date", "created_at", "updated_at"}


def checkin_upsert(
    *, user: User, client_id: uuid.UUID, values: dict[str, object], now: datetime
) -> tuple[CheckIn, bool] | None:
    """(check-in, created), or None when the careful path has to decide."""
    connection = connections[router.db_for_write(CheckIn)]
    given = values | {"user_id": user.pk, "client_id": client_id, "created_at": now}
    given["updated_at"] = now
    # Every column in order, as CheckIn(**given) would fill them (what no answer names
    # gets its field's default), but positionally: Model.__init__'s fast path.
    checkin = CheckIn(
        *[
            None
            if field.primary_key
            else given[field.attname]
            if field.attname in given
            else field.get_default()
            for field in CheckIn._meta.concrete_fields
        ]
    )
    _owner().set_cached_value(checkin, user)  # checkin.user, without reading it again
    prepared = _Prepared(connection)
    params = [prepared(field, getattr(checkin, field.attname)) for field in _written()]
    stamp = CheckIn._meta.get_field("updated_at")
    marked = prepared(stamp, now + UPDATE_MARK)
    params += [marked, prepared(stamp, now), marked]
    with _writers_queue(connection), connection.cursor() as cursor:
        cursor.execute(_statement(connection.vendor), params)
        row = cursor.fetchone()
    if row is None:
        return None
    for name, value in zip(RETURNED, _returned().values(connection, row), strict=True):
        setattr(checkin, name, value)
    checkin._state.adding = False
    checkin._state.db = connection.alias
    return checkin, checkin.updated_at == now


# The answers a phone sends come from small sets (yes/no, 0-10, the known activities, the
# days of a few seasons), and for a value of one of these immutable types Django's
# preparation of a field's value (get_db_prep_save -> get_db_prep_value -> get_prep_value ->
# to_python, then the backend's adapter) always gives the same result: ~2-8 us each, for the
# 25 values of every write. Results are kept per database, column and type (True == 1, but
# a text column makes them "True" and "1"), up to a bound.
# (Not Decimal: 5.2 and 5.20 are equal keys. Not datetime: a date's subclass, and aware.)
KEPT_TYPES = frozenset({bool, int, str, date, type(None)})
KEPT_PREPARATIONS = 4096
_kept: dict[tuple[str, str, type, object], Any] = {}


class _Prepared:
    """`field.get_db_prep_save(value, connection)` for one write of a check-in.

    Each moment is prepared once per write (the statement sends `now` three times and the
    update mark twice; an aware moment's zone conversion and text cost ~10 us each), and a
    value of a kept type once per process (above). tests/journal/test_upsert_params.py
    holds both to Django's own preparation for every column and any value."""

    def __init__(self, connection: BaseDatabaseWrapper) -> None:
        self.connection = connection
        self.moments: dict[tuple[type, datetime], Any] = {}

    def __call__(self, field: Field[Any, Any], value: Any) -> Any:
        kind = type(value)
        if kind in KEPT_TYPES:
            key = (self.connection.alias, field.attname, kind, value)
            if key in _kept:
                return _kept[key]
            prepared = field.get_db_prep_save(value, self.connection)
            if len(_kept) < KEPT_PREPARATIONS:
                _kept[key] = prepared
            return prepared
        if kind is not datetime:
            return field.get_db_prep_save(value, self.connection)
        moment = (type(field), value)
        if moment not in self.moments:
            self.moments[moment] = field.get_db_prep_save(value, self.connection)
        return self.moments[moment]


# SQLite takes one writer at a time; one that finds the lock taken sleeps in SQLite's busy
# handler (1, 2, 5, 10 ms...) even when the lock frees in a fraction of that. Writers
# queue here instead and are woken the moment the writer before them is done: first this
# process's threads (a Python lock), then the server's processes (an OS lock on a file
# beside the database, which the kernel hands to the next waiter on release). Under wrk
# (16 phones replaying, gunicorn 2x4) the threads' queue took the POST from ~0.10 to
# ~0.14 of the static file, side by side (notes/perf.md). PostgreSQL locks rows, not the
# database.
_SQLITE_WRITER = threading.Lock()
_lock_files: dict[str, int] = {}


def _writers_queue(connection: BaseDatabaseWrapper) -> AbstractContextManager[object]:
    # Inside a transaction this thread may already hold SQLite's lock: waiting here then
    # could hold up a thread that waits for it. The hot path (a phone's write) has none.
    # Outside one, a statement holds SQLite's lock only while it runs, so a writer waiting
    # here holds nothing another writer needs.
    if connection.vendor != "sqlite" or connection.in_atomic_block:
        return nullcontext()
    return _queued(str(connection.settings_dict["NAME"]))


@contextmanager
def _queued(database: str) -> Iterator[None]:
    with _SQLITE_WRITER:
        fd = _lock_file(database)
        if fd is None:
            yield
            return
        fcntl.flock(fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)


def _lock_file(database: str) -> int | None:
    """This process's descriptor of the database's writers' lock file (opened once)."""
    if database in _lock_files:
        return _lock_files[database]
    path = Path(database)
    if database == ":memory:" or database.startswith("file:") or not path.parent.is_dir():
        return None  # (a database no other process can open: the Python lock is enough)
    fd = os.open(f"{path}-writers.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o600)
    _lock_files[database] = fd
    return fd


@cache
def _written() -> list[Field[Any, Any]]:
    return [field for field in CheckIn._meta.concrete_fields if not field.primary_key]


@cache
def _owner() -> ForeignKey[Any, Any]:
    owner = CheckIn._meta.get_field("user")
    assert isinstance(owner, ForeignKey)
    return owner


@cache
def _returned() -> Columns[CheckIn]:
    """The returned columns, read with the ORM's own conversions (footing/sql.py)."""
    return Columns(CheckIn, RETURNED)


@cache
def _statement(vendor: str) -> str:
    """The statement for this database (quoting differs), built once per process."""
    q = connection.ops.quote_name
    table = q(CheckIn._meta.db_table)
    column = {field.name: q(str(field.column)) for field in CheckIn._meta.concrete_fields}
    written = _written()
    updates = [
        f"{column[f.name]} = excluded.{column[f.name]}" for f in written if f.name not in KEPT
    ]
    changed = " OR ".join(
        f"{table}.{column[f.name]} IS DISTINCT FROM excluded.{column[f.name]}"
        for f in written
        if f.name not in KEPT
    )
    # A replay of what is stored keeps its updated_at (and still returns the row):
    # updated_at says when the answers changed, which is when a red flag the clinic
    # marked handled waits again. Only a row stamped at this very instant (a clock held
    # still) is nudged by the mark, so the returned stamp still tells insert from update.
    stamped = f"{table}.{column['updated_at']}"
    updates.append(
        f"{column['updated_at']} = CASE WHEN {changed} THEN %s "
        f"WHEN {stamped} = %s THEN %s ELSE {stamped} END"
    )
    user, client, answered = column["user"], column["client_id"], column["answered_at"]
    return (
        f"INSERT INTO {table} ({', '.join(column[f.name] for f in written)}) "
        f"VALUES ({', '.join(['%s'] * len(written))}) "
        f"ON CONFLICT ({user}, {column['date']}) DO UPDATE SET {', '.join(updates)} "
        f"WHERE {table}.{answered} <= excluded.{answered} "
        f"AND ({table}.{client} = excluded.{client} OR NOT EXISTS "
        f"(SELECT 1 FROM {table} AS mine WHERE mine.{user} = excluded.{user} "
        f"AND mine.{client} = excluded.{client})) "
        f"RETURNING {', '.join(column[name] for name in RETURNED)}"
    )
