"""Django's database sessions, with the one read every logged-in request makes in plain SQL.

The same table, the same keys, the same expiry rule and the same signed encoding as
`django.contrib.sessions.backends.db`: only how the row is read differs (footing/sql.py
says why). A logged-out or expired session is gone for every server process the moment
its row is, as before; nothing is kept in memory or in a cookie.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.sessions.backends import db
from django.contrib.sessions.base_session import AbstractBaseSession
from django.db import connections, router
from django.utils import timezone

from footing.sql import Columns


class SessionStore(db.SessionStore):
    def _get_session_from_db(self) -> Any:
        """`Session.objects.get(session_key=key, expire_date__gt=now)`, or None."""
        model = self.model
        connection = connections[router.db_for_read(model)]
        key, data, expires = _columns(model).fields
        quote = connection.ops.quote_name
        sql = (
            f"SELECT {quote(str(data.column))} FROM {quote(model._meta.db_table)} "
            f"WHERE {quote(str(key.column))} = %s AND {quote(str(expires.column))} > %s"
        )
        now = expires.get_db_prep_value(timezone.now(), connection)
        with connection.cursor() as cursor:
            cursor.execute(sql, [self.session_key, now])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None  # as Django's: a key that names no live session is dropped
            return None
        return model(session_key=self.session_key or "", session_data=row[0])


@cache
def _columns(model: type[AbstractBaseSession]) -> Columns[AbstractBaseSession]:
    return Columns(model, ("session_key", "session_data", "expire_date"))
