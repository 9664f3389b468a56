"""No health data in logs: what the server writes about a refused or failed request names
paths and ids, never a person's answers or their account name."""

from __future__ import annotations

import logging
import uuid

import pytest
from django.test import Client
from django.utils import timezone

from journal.models import CheckIn
from tests.journal.conftest import make_runner

pytestmark = pytest.mark.django_db


def test_a_refused_checkin_logs_the_path_only(caplog: pytest.LogCaptureFixture) -> None:
    runner = make_runner("ann.secret@example.org")
    client = Client()
    client.force_login(runner)
    body = {
        "client_id": str(uuid.uuid4()),
        "date": str(timezone.localdate()),
        "first_step_pain": 11,
        "red_flags": ["numbness"],
    }
    with caplog.at_level(logging.DEBUG):
        client.post("/api/v1/checkins", body, content_type="application/json")

    text = "\n".join(record.getMessage() for record in caplog.records)
    assert "/api/v1/checkins" in text
    assert "ann.secret" not in text and "numbness" not in text and "11" not in text


def test_a_checkin_in_an_error_message_is_named_by_ids(caplog: pytest.LogCaptureFixture) -> None:
    runner = make_runner("ann.secret@example.org")
    checkin = CheckIn.objects.create(
        user=runner,
        client_id=uuid.uuid4(),
        date=timezone.localdate(),
        first_step_pain=8,
        calf_swelling=True,
        answered_at=timezone.now(),
    )
    logging.getLogger("footing.test").error("could not show %r", checkin)

    text = caplog.records[-1].getMessage()
    assert text == f"could not show <CheckIn: check-in {checkin.pk} of user {runner.pk}>"
