"""The journeys' phones block the service worker unless the journey is marked `worker`
(e2e/conftest.py, new_context); one that needs it unmarked fails, saying so."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page

from e2e.conftest import poll_page, wait_for_control

BLOCKED = "Service Worker registration blocked by Playwright"


def test_an_unmarked_journey_has_no_worker_and_cannot_wait_for_one_or_go_offline(
    app: str, page: Page
) -> None:
    said: list[str] = []
    page.on("console", lambda message: said.append(message.text))
    page.goto(app + "/")
    poll_page(page, lambda: BLOCKED in said, "the page asked for its worker and was refused")
    assert page.evaluate("() => navigator.serviceWorker.getRegistration()") is None

    with pytest.raises(AssertionError, match=r"waits for the service worker.*@pytest.mark.worker"):
        wait_for_control(page)
    with pytest.raises(AssertionError, match=r"goes offline.*@pytest.mark.worker"):
        page.context.set_offline(True)


@pytest.mark.worker
def test_a_marked_journey_has_its_worker(app: str, page: Page) -> None:
    page.goto(app + "/")
    wait_for_control(page)
    assert page.evaluate("() => navigator.serviceWorker.controller?.state") == "activated"
