"""A check-in made with no signal reaches the server through Background Sync, with no
page of Footing open: the service worker replays the outbox itself."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import poll_page, wait_for_control, worker_registration
from e2e.test_checkin import log_in, pain_scale, runner
from journal.models import CheckIn
from tests.waiting import poll

# The worker replays the outbox itself (Background Sync).
pytestmark = pytest.mark.worker


def sync_trigger(page: Page, app: str) -> Callable[[], None]:
    """Fire Footing's sync event as the browser does when a phone that registered one is
    online again (over DevTools, so the test says when)."""
    cdp, registration = worker_registration(page)
    event = {
        "origin": app,
        "registrationId": registration["registrationId"],
        "tag": "footing-outbox",
        "lastChance": False,
    }
    return lambda: cdp.send("ServiceWorker.dispatchSyncEvent", event)


def test_background_sync_replays_the_outbox_with_no_page_open(app: str, page: Page) -> None:
    runner()
    log_in(page, app)
    page.goto(app + "/checkin/")
    wait_for_control(page)
    fire_sync = sync_trigger(page, app)

    page.context.set_offline(True)
    pain_scale(page, "First steps out of bed: how much did it hurt?").get_by_role(
        "radio", name="4", exact=True
    ).tap()
    page.get_by_role("checkbox", name="None of these").tap()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")
    assert CheckIn.objects.count() == 0

    # Leave Footing (no page listens for `online` any more), then get the signal back.
    # Chromium may fire the registered sync by itself as the network returns (racing any
    # check here); the test's own event then finds nothing left to send: one row either way.
    page.goto("about:blank")
    page.context.set_offline(False)
    fire_sync()

    poll(lambda: CheckIn.objects.exists(), "the worker sent the check-in")
    assert CheckIn.objects.get().first_step_pain == 4


def test_a_sync_event_leaves_server_trouble_to_its_backoff(app: str, page: Page) -> None:
    """Background Sync fires as soon as it is registered on a phone that is online; a
    server that just answered 503 must not be asked again until its backoff is over."""
    runner()
    log_in(page, app)
    page.goto(app + "/checkin/")
    wait_for_control(page)
    fire_sync = sync_trigger(page, app)
    posts: list[str] = []
    worker_reads: list[str] = []

    def unavailable(route) -> None:
        if route.request.method == "POST":
            posts.append(route.request.url)
            route.fulfill(status=503, content_type="application/json", body='{"detail": "Down"}')
        else:
            route.continue_()

    def seen(request) -> None:
        if request.service_worker and request.url.endswith("/api/v1/me"):
            worker_reads.append(request.url)  # the worker's replay asks who is logged in

    page.context.route("**/api/v1/checkins", unavailable)
    page.context.on("request", seen)
    pain_scale(page, "First steps out of bed: how much did it hurt?").get_by_role(
        "radio", name="2", exact=True
    ).tap()
    page.get_by_role("checkbox", name="None of these").tap()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator(".outbox-pending")).to_contain_text("Will retry: Down")

    fire_sync()
    poll_page(page, lambda: worker_reads, "the worker replays (it asks who is logged in)")
    # The replay runs holding the outbox's Web Lock, shared with the worker: taking it here
    # waits until the worker's replay, had it sent anything, is over.
    page.evaluate("() => navigator.locks.request('footing-outbox', () => true)")

    assert posts == [app + "/api/v1/checkins"]
    [item] = page.evaluate("window.FootingOutbox.pending()")
    assert (item["state"], item["attempts"]) == ("pending", 1)
