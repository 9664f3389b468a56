"""Times on pages read in the logged-in person's own time zone, never the server's."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone

from footing import dates
from tests.journal.conftest import make_runner
from tests.training.test_sessions import post, routine, session_body  # noqa: F401

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("routine")]

# 05:40 UTC yesterday: 17:40 or 18:40 in Auckland, 00:40 or 01:40 in New York.
STARTED = (timezone.now() - timedelta(days=1)).replace(hour=5, minute=40, second=0, microsecond=0)


def played_in(zone: str) -> Client:
    client = Client()
    client.force_login(make_runner(f"{zone.replace('/', '-')}@example.org", time_zone=zone))
    body = session_body(
        started_at=STARTED.isoformat(), ended_at=(STARTED + timedelta(minutes=15)).isoformat()
    )
    assert post(client, body).status_code == 201
    return client


def clock(zone: str) -> str:
    return f", {STARTED.astimezone(ZoneInfo(zone)):%H:%M}"


def test_history_shows_a_session_at_the_runners_own_hour() -> None:
    page = played_in("Pacific/Auckland").get("/history/").text

    assert clock("Pacific/Auckland") in page
    assert clock("UTC") not in page
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        assert f"{dates.moment(STARTED)} · version 1" in page  # the one way to write it


def test_a_new_zone_in_the_profile_applies_at_once() -> None:
    client = played_in("Pacific/Auckland")
    client.get("/history/")  # the session now remembers Auckland

    client.post("/accounts/profile/", {"time_zone": "America/New_York", "distance_unit": "km"})

    page = client.get("/history/").text
    assert clock("America/New_York") in page
    assert clock("Pacific/Auckland") not in page


def test_one_persons_zone_never_outlives_their_request() -> None:
    played_in("Pacific/Auckland").get("/history/")

    assert timezone.get_current_timezone_name() == settings.TIME_ZONE
