"""Two people, one phone (390×844): nobody sees the other's health data, and what one of
them left unsent is offered to that person alone and never sent as the other."""

from __future__ import annotations

import json
import re
import uuid
from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.conftest import wait_for_control
from e2e.test_checkin import log_in, pain_scale, runner
from journal.models import CheckIn
from library.models import RoutineVersion
from tests.waiting import poll
from training.services import ExerciseResult, session_record

# What the phone keeps for each person includes the worker's caches, offline too.
pytestmark = pytest.mark.worker

ANA, BEN = "ana@example.org", "ben@example.org"
FIRST_STEPS = "First steps out of bed: how much did it hurt?"

# Everything the phone keeps that a page could show: Cache Storage, as text, and the
# IndexedDB stores, as JSON.
KEPT = """async () => {
  const texts = [];
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const request of await cache.keys()) {
      const response = await cache.match(request);
      texts.push(request.url + " " + (await response.clone().text()));
    }
  }
  const db = await new Promise((resolve, reject) => {
    const open = indexedDB.open("footing");
    open.onsuccess = () => resolve(open.result);
    open.onerror = () => reject(open.error);
  });
  const stores = {};
  for (const name of db.objectStoreNames) {
    stores[name] = await new Promise((resolve) => {
      const request = db.transaction(name).objectStore(name).getAll();
      request.onsuccess = () => resolve(request.result);
    });
  }
  db.close();
  return { caches: texts.join("\\n"), stores, local: Object.keys(localStorage) };
}"""


def played_yesterday(user: User) -> None:
    version = RoutineVersion.objects.filter(routine__current_version=F("pk")).first()
    first = version.snapshot["items"][0]
    ended = timezone.now() - timedelta(days=1)
    session_record(
        user=user,
        client_id=uuid.uuid4(),
        routine=version.routine.slug,
        version=version.number,
        started_at=ended - timedelta(minutes=20),
        ended_at=ended,
        exercises=[
            ExerciseResult(
                position=first["position"], exercise=first["exercise"]["slug"], sets_done=1
            )
        ],
    )


def check_in(page: Page, pain: str, *flags: str) -> None:
    pain_scale(page, FIRST_STEPS).get_by_role("radio", name=pain, exact=True).tap()
    for flag in flags:
        page.get_by_label(flag).check()
    warning = page.get_by_label("None of these")
    if not flags and warning.count():
        warning.check()
    page.get_by_role("button", name="Save check-in").tap()


def log_out(page: Page, app: str) -> None:
    page.goto(app + "/accounts/profile/")
    page.get_by_role("button", name="Log out").tap()


def test_two_people_one_phone(app: str, page: Page, screenshot) -> None:
    ana, ben = runner(ANA), runner(BEN)
    played_yesterday(ana)
    sent_as: list[tuple[str, str]] = []  # (whose cookie, client_id) of every check-in sent

    def watch(request) -> None:
        if request.method == "POST" and request.url.endswith("/api/v1/checkins"):
            owner = request.headers.get("x-footing-owner", "")
            sent_as.append((owner, json.loads(request.post_data or "{}").get("client_id", "")))

    page.on("request", watch)

    # Ana checks in (a bad morning, a red flag), then looks at her history and progress.
    log_in(page, app, ANA)
    wait_for_control(page)
    check_in(page, "8", "Calf swelling, warmth or redness")
    expect(page).to_have_url(re.compile(r"/checkin/\d{4}-\d\d-\d\d/$"))
    page.goto(app + "/history/")
    expect(page.locator(".stat-line")).to_contain_text("1 session")
    page.goto(app + "/progress/")
    expect(page.locator("dd", has_text="8.0/10")).to_be_visible()

    # She changes her answer while the server is in trouble: it waits on the phone.
    def unavailable(route) -> None:
        if route.request.method == "POST":
            route.fulfill(status=503, content_type="application/json", body='{"detail": "Down"}')
        else:
            route.continue_()

    page.context.route("**/api/v1/checkins", unavailable)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(page.locator('[data-slot="day"]')).to_contain_text("you checked in today")
    pain_scale(page, FIRST_STEPS).get_by_role("radio", name="6", exact=True).tap()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")
    [waiting] = page.evaluate("window.FootingOutbox.pending()")

    # A self-check result this phone keeps to offer at sign-up (selfcheck-on-phone.js).
    page.evaluate("localStorage.setItem('footing-selfcheck', JSON.stringify({client_id: 'x'}))")

    # Logging out offers it to her: keep it for her, or discard it.
    log_out(page, app)
    prompt = page.get_by_role("dialog", name="Before you log out")
    expect(prompt).to_contain_text("1 check-in hasn't reached the server yet.")
    keep = prompt.get_by_role("button", name=f"Keep it for {ANA}")
    expect(keep).to_be_visible()
    expect(prompt.get_by_role("button", name="Discard it")).to_be_visible()
    screenshot("logout-prompt")
    page.set_viewport_size({"width": 375, "height": 667})
    screenshot("logout-prompt-375")
    page.emulate_media(color_scheme="dark")
    screenshot("logout-prompt-375-dark")
    page.set_viewport_size({"width": 390, "height": 844})
    screenshot("logout-prompt-dark")
    page.emulate_media(color_scheme="light")
    keep.tap()
    expect(page).to_have_url(app + "/")

    # Nothing of Ana's is left for the next person: not in any cache, not in the stores,
    # apart from her one waiting check-in, which is hers alone.
    kept = page.evaluate(KEPT)
    assert ANA not in kept["caches"] and "8.0/10" not in kept["caches"]
    # No answers: no ticked box in a kept page, no check-in read from the API.
    assert not re.search(r"<input[^>]* checked", kept["caches"])
    assert not re.search(r'"first_step_pain":\s*[86]', kept["caches"])
    assert kept["stores"]["progress"] == [] and kept["stores"]["history"] == []
    assert kept["stores"]["personal"] == []
    assert "footing-selfcheck" not in kept["local"]
    assert [item["id"] for item in kept["stores"]["outbox"]] == [waiting["id"]]
    assert kept["stores"]["outbox"][0]["owner"] == str(ana.pk)

    # Offline, the phone opens for whoever picks it up, and shows nobody's data.
    page.context.set_offline(True)
    page.goto(app + "/checkin/")
    expect(page.get_by_role("heading", name="Morning check-in")).to_be_visible()
    expect(page.get_by_text("Log in to check in")).to_be_visible()
    expect(page.locator("#checkin input:checked")).to_have_count(0)
    expect(page.locator("[data-outbox-count]")).to_be_hidden()
    for path in ("/history/", "/progress/", "/"):
        page.goto(app + path)
        body = page.locator("body").inner_text()
        assert "8.0/10" not in body and "1 session" not in body and ANA not in body, path
    expect(page.get_by_role("link", name="Log in")).to_be_visible()
    screenshot("shared-phone-offline-nobody")
    page.context.set_offline(False)

    # Ben logs in on the same browser: his own empty morning, none of Ana's, and her
    # waiting check-in is neither shown to him nor sent under his session.
    page.context.unroute("**/api/v1/checkins")
    before_ben = len(sent_as)
    log_in(page, app, BEN)
    expect(page.locator('[data-slot="day"]')).not_to_contain_text("you checked in today")
    expect(page.locator("#checkin input:checked")).to_have_count(0)
    expect(page.locator("[data-outbox-count]")).to_be_hidden()
    expect(page.locator("#outbox-list")).to_be_hidden()
    page.evaluate("window.FootingOutbox.replay({force: true})")
    assert [client_id for _, client_id in sent_as[before_ben:]] == []
    assert not [owner for owner, client_id in sent_as if owner != str(ana.pk)]
    assert not CheckIn.objects.filter(user=ben).exists()
    assert CheckIn.objects.get(user=ana).first_step_pain == 8
    screenshot("shared-phone-second-person")

    # Ben has nothing waiting: he logs out straight away.
    log_out(page, app)
    expect(page).to_have_url(app + "/")

    # Ana, back on the phone, gets her check-in sent, under her own session.
    log_in(page, app, ANA)
    poll(
        lambda: CheckIn.objects.get(user=ana).first_step_pain == 6,
        "Ana's kept check-in reached the server once she logged in again",
    )
    assert [owner for owner, client_id in sent_as if client_id == waiting["id"]][-1] == str(ana.pk)
    assert User.objects.count() == 2
