"""Byte budgets, as tests: they are deterministic, so they need no benchmark.

Each page's HTML ≤ 14 KB gzip (one round trip) and everything it makes the browser load
on first load — stylesheets and scripts — ≤ 50 KB gzip, for every page type. Scripts are
ES modules: what counts is app.js, every module it imports, and the page modules the
page's `data-module` elements load (static/js/app.js), with theirs.
"""

from __future__ import annotations

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

from bench.first_load import first_load as bench_first_load

pytestmark = pytest.mark.django_db

HTML_BUDGET = 14 * 1024
ASSET_BUDGET = 50 * 1024
PAGES = {
    "home": "/",
    "condition": "/conditions/plantar-fasciitis/",
    "exercise": "/exercises/high-load-heel-raise/",
    "routine": "/routines/plantar-fasciitis-pain-management/",
    "player": "/routines/plantar-fasciitis-pain-management/play/",
    "self-check": "/self-check/",
    "offline": "/offline/",
    "check-in": "/checkin/",
    "progress": "/progress/",
}


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


def first_load(html: str) -> set[str]:
    """Every stylesheet and script the page loads before anyone taps anything."""
    return bench_first_load(
        html, settings.STATIC_URL, lambda path: (settings.STATIC_ROOT / path).read_text()
    )


@pytest.fixture
def member(clinic_content: None) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_user("budget", password="a-long-pass-1"))
    return client


@pytest.mark.parametrize("name", PAGES)
def test_page_and_first_load_assets_within_budget(member: Client, name: str) -> None:
    html = member.get(PAGES[name]).content
    assets = first_load(html.decode())
    asset_bytes = sum(gzipped((settings.STATIC_ROOT / path).read_bytes()) for path in assets)

    assert gzipped(html) <= HTML_BUDGET
    assert any(path.startswith("django_htmx/") for path in assets)  # htmx is counted
    assert any(path.startswith("js/outbox.") for path in assets)  # so are app.js's imports
    assert asset_bytes <= ASSET_BUDGET, f"{name}: {asset_bytes} B of CSS + JS"


def test_page_modules_are_counted(member: Client) -> None:
    """The player page loads the player module: the budget must see it."""
    assets = first_load(member.get(PAGES["player"]).content.decode())

    assert any(re.fullmatch(r"js/player\.\w+\.js", path) for path in assets)
    assert any(re.fullmatch(r"js/db\.\w+\.js", path) for path in assets)
