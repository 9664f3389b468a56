"""Django's database sessions, with the one read every logged-in request makes in plain SQL.

The same table, the same keys, the same expiry rule and the same signed encoding as
`django.contrib.sessions.backends.db`: only how the row is read and decoded differs
(footing/sql.py says why). A logged-out or expired session is gone for every server
process the moment its row is, as before: the row is read on every request, and nothing
of a session is kept in a cookie.

What is kept in memory is only the decoding of a row's signed text: checking the
signature, unpacking and parsing it cost ~0.1 ms on each request, for text that changes
only when the session does. The same text under the same keys always decodes to the
same values, so the decoded values are kept under the text and the keys themselves; a
row that changes (a log-in, a new time zone) is new text, decoded afresh, and a text
that fails the check is never kept.
"""

from __future__ import annotations

from functools import cache, lru_cache
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends import db
from django.contrib.sessions.base_session import AbstractBaseSession
from django.core import signing
from django.db import connections, router
from django.utils import timezone

from footing.sql import Columns

# Decoded session texts kept per process (each a few hundred bytes).
KEPT_DECODINGS = 4096
# Values a kept decoding may hold: immutable, so each request gets its own dict of them.
_SCALARS = (str, int, float, bool, type(None))


class SessionStore(db.SessionStore):
    def load(self) -> dict[str, Any]:
        """As Django's: the live row's values, or {} (and the key dropped) when none."""
        data = self._session_data()
        return {} if data is None else self.decode(data)

    def _get_session_from_db(self) -> Any:
        """`Session.objects.get(session_key=key, expire_date__gt=now)`, or None."""
        data = self._session_data()
        if data is None:
            return None
        return self.model(session_key=self.session_key or "", session_data=data)

    def _session_data(self) -> str | None:
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
        text: str = row[0]
        return text

    def decode(self, session_data: bytes | str) -> dict[str, Any]:
        if not isinstance(session_data, str):  # (rows hold text; anything else goes Django's way)
            return super().decode(session_data)
        keys = (settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))
        try:
            return dict(_decoded(session_data, self.key_salt, self.serializer, keys))
        except Exception:  # as Django's own decode: any failure means {}
            return super().decode(session_data)  # Django's: logs a bad signature, gives {}


class _NotKept(Exception):
    """A decoding holding a mutable value: decoded on each request instead."""


@lru_cache(maxsize=KEPT_DECODINGS)
def _decoded(
    session_data: str, salt: str, serializer: type, keys: tuple[str, tuple[str, ...]]
) -> tuple[tuple[str, Any], ...]:
    """Django's decoding (`signing.loads`, the signature checked against `keys`), as
    items; raises, and keeps nothing, for a text that does not check out."""
    key, fallbacks = keys
    values = signing.loads(
        session_data, key=key, fallback_keys=list(fallbacks), salt=salt, serializer=serializer
    )
    if not isinstance(values, dict) or not all(isinstance(v, _SCALARS) for v in values.values()):
        raise _NotKept
    return tuple(values.items())


@cache
def _columns(model: type[AbstractBaseSession]) -> Columns[AbstractBaseSession]:
    return Columns(model, ("session_key", "session_data", "expire_date"))
