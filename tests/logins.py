"""Logged-in clients as a real log-in leaves them, for tests that count queries."""

from __future__ import annotations

from django.contrib.auth.models import User
from django.contrib.sessions.backends.db import SessionStore
from django.test import Client

from accounts.backends import PROFILE_BACKEND

CSRF = "c" * 32


def logged_in(user: User, *, backend: str = PROFILE_BACKEND, time_zone: str = "UTC") -> Client:
    """A client holding a session made by logging in (the backend's path recorded, the
    zone remembered as the time-zone middleware leaves it after the first page) and a CSRF
    cookie; send `CSRF` as the X-CSRFToken header."""
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = backend
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session["time_zone"] = time_zone
    session.create()
    client = Client(enforce_csrf_checks=True)
    client.cookies["sessionid"] = session.session_key or ""
    client.cookies["csrftoken"] = CSRF
    return client
