"""Property-based fuzzing of the whole JSON API from its own OpenAPI schema.

Anonymous and logged-in: whatever schemathesis sends, the API never answers 5xx and
every answer matches the schema it publishes.
"""

from __future__ import annotations

import os
from io import StringIO

import pytest
import schemathesis
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.sessions.backends.db import SessionStore
from django.core.handlers.wsgi import WSGIHandler
from django.core.management import call_command
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

CSRF = "f" * 32  # any 32-character secret: cookie and header must only agree
# The in-process WSGI client does not undo gzip; ask for plain bodies.
PLAIN = {"Accept-Encoding": "identity"}


@pytest.fixture
def content(transactional_db: None) -> None:
    call_command("load_content", path=settings.CONTENT_DIR, stdout=StringIO())


def logged_in_headers() -> dict[str, str]:
    user, _ = get_user_model().objects.get_or_create(username="fuzz-runner")
    session = SessionStore()
    session["_auth_user_id"] = str(user.pk)
    session["_auth_user_backend"] = "django.contrib.auth.backends.ModelBackend"
    session["_auth_user_hash"] = user.get_session_auth_hash()
    session.create()
    return PLAIN | {
        "Cookie": f"sessionid={session.session_key}; csrftoken={CSRF}",
        "X-CSRFToken": CSRF,
    }


# Reading the schema touches no database, so it can happen at import.
schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", WSGIHandler())
# CI runs 25 examples per operation; FUZZ_EXAMPLES=500 digs deeper when hunting.
FUZZ = hypothesis_settings(
    max_examples=int(os.environ.get("FUZZ_EXAMPLES", "25")),
    deadline=None,
    suppress_health_check=list(HealthCheck),
    database=None,
)


@schema.parametrize()
@FUZZ
def test_anonymous(case: schemathesis.Case, content: None) -> None:
    case.call_and_validate(headers=PLAIN)


@schema.parametrize()
@FUZZ
def test_logged_in(case: schemathesis.Case, content: None) -> None:
    case.call_and_validate(headers=logged_in_headers())
