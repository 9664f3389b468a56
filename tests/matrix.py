"""One runner for the authorization matrices (tests/test_authorization.py and
tests/clinic/test_permissions.py): who asks, what they ask, and the answer as a table cell.

The matrices run hundreds of requests against one world: `shared_world` builds it once per
module, inside a transaction that each test's own (a savepoint, pytest-django's `db`)
rolls back to, so every cell still starts from the same rows.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client
from django.urls import reverse

LOGIN = "login"  # a redirect to the log-in page
SIGNUP = "signup"  # a redirect to sign-up (invitation links)


def client_as(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def answer(response: Any) -> Any:
    """The status as the tables write it: a redirect to log in or sign up by name."""
    if response.status_code == 302:
        location = response["Location"]
        if location.startswith(reverse("accounts:login")):
            return LOGIN
        if location.startswith(reverse("accounts:signup")):
            return SIGNUP
    return response.status_code


def page_answer(user: User | None, method: str, url: str, form: dict[str, Any] | None) -> Any:
    client = client_as(user)
    return answer(client.get(url) if method == "GET" else client.post(url, form or {}))


def api_answer(user: User | None, method: str, url: str, body: Any) -> tuple[int, bytes]:
    payload = "" if body is None or method == "GET" else json.dumps(body)
    response = client_as(user).generic(method, url, payload, content_type="application/json")
    return response.status_code, response.content[:300]


@contextmanager
def shared_world[W](django_db_blocker: Any, build: Callable[[], W]) -> Iterator[W]:
    """`build()` once, kept for every test of the module and undone after the last."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            world = build()
        except BaseException:
            outer.__exit__(None, None, None)
            raise
    try:
        yield world
    finally:
        with django_db_blocker.unblock():
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
