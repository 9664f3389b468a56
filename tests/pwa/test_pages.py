from __future__ import annotations

import gzip
import re
from pathlib import Path
from unittest import mock

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from pwa.views import player as views
from tests.factories import load, routine_data, routine_with_items, write_content, write_file

pytestmark = pytest.mark.django_db

PAGES = [
    "/",
    "/conditions/",
    "/conditions/plantar-fasciitis/",
    "/conditions/posterior-compartment-syndrome/",
    "/exercises/",
    "/exercises/high-load-heel-raise/",
    "/routines/",
    "/routines/plantar-fasciitis-pain-management/",
]
HTML_BUDGET = 14 * 1024  # one round trip: the first TCP window


@pytest.mark.parametrize("url", PAGES)
def test_pages_render_within_the_byte_budget(
    client: Client, clinic_content: None, url: str
) -> None:
    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")
    assert len(gzip.compress(response.content)) <= HTML_BUDGET
    assert b"sports medicine doctor" in response.content


@pytest.mark.parametrize("url", ["/conditions/knee/", "/exercises/hop/", "/routines/nope/"])
def test_unknown_pages_are_404(client: Client, clinic_content: None, url: str) -> None:
    assert client.get(url).status_code == 404


def test_condition_pages_put_red_flags_before_routines(
    client: Client, clinic_content: None
) -> None:
    html = client.get("/conditions/plantar-fasciitis/").content.decode()

    assert html.index("Stop and get help") < html.index("Routines for plantar fasciitis")
    assert "/routines/plantar-fasciitis-pain-management/" in html


def test_doctor_first_condition_offers_no_routine(client: Client, clinic_content: None) -> None:
    html = client.get("/conditions/posterior-compartment-syndrome/").content.decode()

    assert "No home exercises, on purpose" in html
    # Every page carries the JavaScript's URL table (#footing-urls); the page itself names
    # no routine.
    page = re.sub(r'<script id="footing-urls" type="application/json">.*?</script>', "", html)
    assert page != html
    assert "/routines/" not in page.replace('href="/routines/"', "")


def test_routine_page_lists_exercises_in_order_with_doses(
    client: Client, clinic_content: None
) -> None:
    response = client.get("/routines/plantar-fasciitis-local-stabilization/")
    html = response.content.decode()
    items = response.context["items"]

    positions = [html.index(f"/exercises/{item['exercise']['slug']}/") for item in items]
    assert positions == sorted(positions)
    assert all(item["dose"] in html for item in items)


def test_goal_filter_answers_htmx_with_the_list_alone(client: Client, clinic_content: None) -> None:
    response = client.get("/exercises/?goal=cross-training", headers={"hx-request": "true"})
    html = response.content.decode()

    assert html.lstrip().startswith('<ul class="cards" id="exercise-list">')
    assert "<html" not in html
    assert "Swimming" in html and "Superman" not in html
    assert "HX-Request" in response["Vary"]


def test_a_boosted_navigation_gets_the_whole_page(client: Client, clinic_content: None) -> None:
    response = client.get("/exercises/", headers={"hx-request": "true", "hx-boosted": "true"})

    assert b"<html" in response.content


def test_page_queries_do_not_grow_with_items(client: Client, tmp_path: Path) -> None:
    root = write_content(tmp_path)
    routine_with_items(root, slug="short", count=3)
    routine_with_items(root, slug="long", count=30)
    load(root)

    def queries(url: str) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    assert queries("/routines/short/") == queries("/routines/long/")
    assert queries("/routines/") <= 3
    assert queries("/exercises/") <= 3
    assert queries("/conditions/heel-pain/") <= 3


def test_healthz_reports_database_and_content_version(client: Client, clinic_content: None) -> None:
    body = client.get("/healthz").json()

    assert body["status"] == "ok"
    assert body["database"] == "ok"
    assert len(body["content_version"]) == 16


def test_pages_send_security_headers(client: Client, clinic_content: None) -> None:
    response = client.get("/")

    assert "script-src 'self'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert "camera=()" in response["Permissions-Policy"]
    assert "screen-wake-lock=(self)" in response["Permissions-Policy"]


def test_anonymous_pages_are_served_from_cache_until_content_changes(
    client: Client, tmp_path: Path
) -> None:
    root = write_content(tmp_path)
    load(root)
    client.get("/routines/heel-routine/")

    with CaptureQueriesContext(connection) as cached:
        again = client.get("/routines/heel-routine/")
    queries_when_cached = len(cached)  # read now: the next request resets the query log
    write_file(root, "routines", routine_data(title="Renamed routine", changelog="Renamed."))
    load(root)
    changed = client.get("/routines/heel-routine/")

    assert queries_when_cached == 1  # the content version, nothing else
    assert b"Heel routine" in again.content
    assert b"Renamed routine" in changed.content


def test_logged_in_pages_are_never_served_from_the_anonymous_cache(
    client: Client, clinic_content: None, django_user_model
) -> None:
    """The page is the same for everyone, so the bytes cannot tell: the view running can.
    An anonymous repeat is answered from the store (the view does not run); a logged-in
    one never is."""
    player = "/routines/plantar-fasciitis-pain-management/play/"
    client.get(player)
    with mock.patch.object(views, "player_data", wraps=views.player_data) as view_ran:
        anonymous_again = client.get(player)
        assert view_ran.call_count == 0  # kept: the store works, so the check below can fail
        client.force_login(django_user_model.objects.create_user("ann", password="x-long-pass-1"))
        logged_in = client.get(player)

    assert view_ran.call_count == 1
    assert logged_in.status_code == anonymous_again.status_code == 200


def test_a_missing_page_is_a_friendly_404(client: Client, clinic_content: None) -> None:
    response = client.get("/no-such-page/")

    assert response.status_code == 404
    assert b"We can't find that page" in response.content
    assert b'href="/routines/"' in response.content
