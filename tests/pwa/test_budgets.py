"""Byte budgets, as tests: they are deterministic, so they need no benchmark.

Each page's HTML ≤ 14 KB gzip (one round trip) and everything it makes the browser load
before first paint — stylesheets and scripts — ≤ 50 KB gzip, for every page type.
"""

from __future__ import annotations

import gzip
import re

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client

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
ASSET = re.compile(
    r'<(?:link rel="stylesheet" href|script src)="' + settings.STATIC_URL + '([^"]+)"'
)


def gzipped(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


@pytest.fixture
def member(clinic_content: None) -> Client:
    client = Client()
    client.force_login(get_user_model().objects.create_user("budget", password="a-long-pass-1"))
    return client


@pytest.mark.parametrize("name", PAGES)
def test_page_and_first_load_assets_within_budget(member: Client, name: str) -> None:
    html = member.get(PAGES[name]).content
    assets = ASSET.findall(html.decode())
    asset_bytes = sum(gzipped((settings.STATIC_ROOT / path).read_bytes()) for path in assets)

    assert gzipped(html) <= HTML_BUDGET
    assert any(path.startswith("django_htmx/") for path in assets)  # htmx is counted
    assert asset_bytes <= ASSET_BUDGET, f"{name}: {asset_bytes} B of CSS + JS"
