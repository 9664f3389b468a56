"""Kept database connections carry nothing from one request to the next.

Connections live across requests (CONN_MAX_AGE). Django already drops one that a request
left with autocommit switched off, and one that failed; it cannot see a transaction that
raw SQL opened (`BEGIN` through a cursor) while it believes it is in autocommit. The next
request on that thread would then run inside it: its writes uncommitted, its locks held.
So at the start and end of every request, a connection that the driver reports inside a
transaction, outside any `atomic` block, is closed, which rolls the transaction back.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper


def close_leaked_transactions(**kwargs: Any) -> None:
    for connection in connections.all(initialized_only=True):
        if leaked_transaction(connection):
            connection.close()


def leaked_transaction(connection: BaseDatabaseWrapper) -> bool:
    """Whether the driver is inside a transaction that no `atomic` block owns."""
    raw = connection.connection
    if raw is None or connection.in_atomic_block or not connection.get_autocommit():
        return False
    if isinstance(raw, sqlite3.Connection):
        return raw.in_transaction
    # psycopg 3: IDLE between statements; INTRANS / INERROR inside a transaction.
    info = getattr(raw, "info", None)
    return info is not None and info.transaction_status.name != "IDLE"
