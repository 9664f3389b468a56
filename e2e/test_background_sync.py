"""A check-in made with no signal reaches the server through Background Sync, with no
page of Footing open: the service worker replays the outbox itself."""

from __future__ import annotations

import time

from playwright.sync_api import Page, expect

from e2e.test_checkin import log_in, pain_scale, runner
from e2e.test_offline import WAIT_FOR_CONTROL
from journal.models import CheckIn


def test_background_sync_replays_the_outbox_with_no_page_open(app: str, page: Page) -> None:
    runner()
    log_in(page, app)
    page.goto(app + "/checkin/")
    page.evaluate(WAIT_FOR_CONTROL)
    cdp = page.context.new_cdp_session(page)
    registrations: list[dict] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda e: registrations.extend(e["registrations"]),
    )
    cdp.send("ServiceWorker.enable")

    page.context.set_offline(True)
    pain_scale(page, "First steps out of bed: how much did it hurt?").get_by_role(
        "radio", name="4", exact=True
    ).tap()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")

    # Leave Footing (no page listens for `online` any more), then get the signal back.
    page.goto("about:blank")
    page.context.set_offline(False)
    assert CheckIn.objects.count() == 0
    [registration] = [r for r in registrations if r["scopeURL"] == app + "/"][:1]
    cdp.send(
        "ServiceWorker.dispatchSyncEvent",
        {
            "origin": app,
            "registrationId": registration["registrationId"],
            "tag": "footing-outbox",
            "lastChance": False,
        },
    )

    for _ in range(100):
        if CheckIn.objects.count():
            break
        time.sleep(0.1)
    assert CheckIn.objects.get().first_step_pain == 4
