"""make bench's page weights count what the budget test counts: the whole first load."""

from __future__ import annotations

import gzip

import pytest
from django.conf import settings
from django.test import Client

from bench.run import STATIC_URL, first_load_weight
from tests.pwa.test_budgets import PAGES, first_load, gzipped

pytestmark = pytest.mark.django_db


class StaticFiles:
    """The running server as the bench sees it: collected files, gzipped when asked."""

    def get(self, path: str, *, gzip_ok: bool = False) -> tuple[int, bytes, dict[str, str]]:
        body = (settings.STATIC_ROOT / path.removeprefix(STATIC_URL)).read_bytes()
        if gzip_ok:
            return 200, gzip.compress(body, compresslevel=6), {"Content-Encoding": "gzip"}
        return 200, body, {}


def test_the_settings_static_url_is_the_benchs() -> None:
    assert settings.STATIC_URL == STATIC_URL


@pytest.mark.parametrize("name", ["home", "routine", "player", "check-in"])
def test_the_bench_counts_every_module_the_page_loads(clinic_content: None, name: str) -> None:
    html = Client().get(PAGES[name]).content.decode()
    assets, weight = first_load_weight(StaticFiles(), html)  # type: ignore[arg-type]

    assert set(assets) == first_load(html)
    assert any(path.startswith("js/outbox.") for path in assets)  # an import of app.js
    assert weight == sum(gzipped((settings.STATIC_ROOT / path).read_bytes()) for path in assets)
