"""Notifications at phone size: a runner turns them on, gets the morning reminder through
the real server path (queue → worker → encrypted push), taps it and lands on the check-in.

The browser's push service is outside the test (Chromium would ask Google's), so a fake
PushManager hands out a subscription whose keys the test holds; the worker sends to the
local fake push service; the test decrypts what arrived and delivers exactly those bytes
to the service worker through CDP (ServiceWorker.deliverPushMessage), as a push service
would. The tap is the service worker's own notificationclick handler, run on the
notification it showed.
"""

from __future__ import annotations

import json
from datetime import time as clock

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from accounts.models import Profile
from clinic.models import Clinic, Membership, Prescription, Role
from e2e.conftest import log_in_with_the_form, no_sideways_scroll, photograph, wait_for_control
from e2e.test_accessibility import BIG_TEXT
from library.models import Routine
from notifications import transport
from notifications.models import PushSubscription
from reminders.services import CHECKIN_TITLE, reminders_send_due
from tests.notifications.conftest import run_worker
from tests.notifications.fakes import LOOPBACK, Browser, FakePushService
from tests.waiting import poll

# Push arrives at the worker, which shows the notification (in the whole Chromium).
pytestmark = [pytest.mark.worker, pytest.mark.notifications]

PASSWORD = "first steps hurt less 7"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/e2e-phone-1"

# The phone's subscription survives navigations (sessionStorage), as a real one would.
FAKE_PUSH_MANAGER = """
const KEYS = %s;
const ENDPOINT = "%s";
window.__permissionAsks = 0;
const ask = Notification.requestPermission.bind(Notification);
Notification.requestPermission = (...args) => {
  window.__permissionAsks += 1;
  return ask(...args);
};
const subscription = () => ({
  endpoint: ENDPOINT,
  toJSON: () => ({ endpoint: ENDPOINT, keys: KEYS }),
  unsubscribe: async () => { sessionStorage.removeItem("fake-push"); return true; },
});
PushManager.prototype.getSubscription = async function () {
  return sessionStorage.getItem("fake-push") ? subscription() : null;
};
PushManager.prototype.subscribe = async function (options) {
  window.__subscribeKeyLength = new Uint8Array(options.applicationServerKey).length;
  sessionStorage.setItem("fake-push", "on");
  return subscription();
};
"""

# Run in the service worker: the notification it showed, tapped. A trusted click cannot
# be made from CDP, so the worker's own handler is called with its waitUntil collected.
TAP = """async () => {
  const [shown] = await self.registration.getNotifications();
  if (!shown) throw new Error("no notification is showing");
  const event = new NotificationEvent("notificationclick", { notification: shown });
  const waits = [];
  Object.defineProperty(event, "waitUntil", { value: (p) => waits.push(p) });
  self.dispatchEvent(event);
  await Promise.all(waits);
  return { title: shown.title, body: shown.body, url: shown.data.url, icon: shown.icon };
}"""

SHOWN = """async () => (await self.registration.getNotifications()).map(
  (n) => ({ title: n.title, body: n.body, url: n.data?.url, tag: n.tag }))"""


def log_in(page: Page, app: str, username: str) -> None:
    log_in_with_the_form(page, app, username, PASSWORD)


# The worker tells every open page SYNC once it has shown a push's notification (sw.js):
# the page counts those, from before the first push.
HEAR_SHOWN = """() => {
  if (window.__shownPushes === undefined) {
    window.__shownPushes = 0;
    navigator.serviceWorker.addEventListener("message", (event) => {
      if (event.data?.type === "SYNC") window.__shownPushes += 1;
    });
  }
}"""


def deliver(context: BrowserContext, page: Page, app: str, data: str) -> None:
    """What a push service does: hand the bytes to the page's service worker."""
    page.evaluate(HEAR_SHOWN)
    cdp = context.new_cdp_session(page)
    # The registration whose worker controls this very page: DevTools reports every
    # worker of the browser, and another test's phone may hold one for the same origin.
    this_page = cdp.send("Target.getTargetInfo")["targetInfo"]["targetId"]
    found: list[str] = []
    cdp.on(
        "ServiceWorker.workerVersionUpdated",
        lambda event: found.extend(
            version["registrationId"]
            for version in event["versions"]
            if this_page in version.get("controlledClients", [])
        ),
    )
    cdp.send("ServiceWorker.enable")
    poll(lambda: found or (page.evaluate("1") and found), "the page's worker is reported")
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": app, "registrationId": found[0], "data": data},
    )
    cdp.detach()


def notifications_showing(context: BrowserContext) -> list[dict]:
    (worker,) = context.service_workers
    return worker.evaluate(SHOWN)


def wait_for_notifications(context: BrowserContext, page: Page, count: int) -> list[dict]:
    """The notifications showing once the worker has shown `count` pushes' notifications.

    Asked only after its showNotification() resolved: a getNotifications() while one is
    still being shown can lose it for good (Chromium reconciles the notifications it
    stored with those displayed, and a read in between drops the one not displayed yet;
    seen here: shown, then an empty list for 15 s, when the reads began at the delivery).
    """
    poll(
        lambda: page.evaluate("window.__shownPushes") >= count,
        f"the worker has shown {count} push(es)",
    )
    return notifications_showing(context)


def turn_on(page: Page, context: BrowserContext, app: str, username: str, browser: Browser):
    context.grant_permissions(["notifications"])
    context.add_init_script(FAKE_PUSH_MANAGER % (json.dumps(browser.keys), ENDPOINT))
    log_in(page, app, username)
    page.goto(f"{app}/accounts/profile/")
    wait_for_control(page)
    box = page.locator("#push-settings")
    expect(box.locator("[data-push-state]")).to_contain_text("off on this phone")
    assert page.evaluate("window.__permissionAsks") == 0  # never asked before a tap
    box.get_by_role("button", name="Turn on notifications").click()
    expect(box.locator("[data-push-state]")).to_contain_text("on for this phone")
    assert page.evaluate("window.__permissionAsks") == 1
    assert page.evaluate("window.__subscribeKeyLength") == 65
    return box


def test_turn_on_get_the_morning_reminder_tap_it_land_on_the_check_in(
    app: str, page: Page, context: BrowserContext, monkeypatch, screenshot
) -> None:
    runner = User.objects.create_user("ria@example.org", password=PASSWORD)
    now = timezone.now()
    Profile.objects.create(user=runner, time_zone="UTC", reminder_time=clock(now.hour, now.minute))
    browser = Browser()

    box = turn_on(page, context, app, "ria@example.org", browser)
    [subscription] = PushSubscription.objects.all()
    assert (subscription.user, subscription.endpoint) == (runner, ENDPOINT)
    page.locator("#notifications").scroll_into_view_if_needed()
    screenshot("notifications-on")

    # The morning: the worker's tick finds the reminder due and sends it.
    service = FakePushService()
    monkeypatch.setattr(transport, "NETWORK", LOOPBACK)
    try:
        PushSubscription.objects.update(endpoint=service.endpoint("ria"))
        (notice,) = reminders_send_due(now=timezone.now())
        run_worker()
        (received,) = service.to("ria")
    finally:
        service.close()
        PushSubscription.objects.update(endpoint=ENDPOINT)
    message = browser.decrypt(received.body)
    assert message == {
        "title": CHECKIN_TITLE,
        "body": notice.body,
        "url": "/checkin/",
        "tag": notice.key,
    }

    page.goto(f"{app}/")  # the app is somewhere else when the reminder comes
    wait_for_control(page)
    deliver(context, page, app, json.dumps(message))
    [shown] = wait_for_notifications(context, page, 1)
    assert shown == {
        "title": CHECKIN_TITLE,
        "body": notice.body,
        "url": "/checkin/",
        "tag": notice.key,
    }

    (worker,) = context.service_workers
    tapped = worker.evaluate(TAP)
    assert tapped["icon"].endswith(".png")
    expect(page).to_have_url(f"{app}/checkin/")
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    screenshot("notification-tapped-checkin")

    page.goto(f"{app}/accounts/profile/")
    box = page.locator("#push-settings")
    expect(box.locator("[data-push-state]")).to_contain_text("on for this phone")
    box.get_by_role("button", name="Turn off on this phone").click()
    expect(box.locator("[data-push-state]")).to_contain_text("off on this phone")
    assert not PushSubscription.objects.exists()


def test_an_unreadable_push_shows_nothing(app: str, page: Page, context: BrowserContext) -> None:
    User.objects.create_user("ria@example.org", password=PASSWORD)
    turn_on(page, context, app, "ria@example.org", Browser())

    for data in ("not json", "[]", json.dumps({"body": "no title"}), json.dumps({"title": 5})):
        deliver(context, page, app, data)
    deliver(context, page, app, json.dumps({"title": "Readable", "body": "", "url": "//evil"}))

    [shown] = wait_for_notifications(context, page, 1)
    assert shown["title"] == "Readable"
    assert shown["url"] == "/"  # a link off the app is not followed


def test_the_notification_settings_read_well(
    app: str, page: Page, context: BrowserContext, screenshot
) -> None:
    """A patient's notifications section, off and on, at phone sizes, 200% text and dark."""
    patient = User.objects.create_user("pat@example.org", password=PASSWORD)
    Profile.objects.create(user=patient, time_zone="Pacific/Auckland", reminder_time=clock(7))
    clinic = Clinic.objects.create(slug="north", name="North Physio")
    Membership.objects.create(user=patient, clinic=clinic, role=Role.PATIENT)
    Prescription.objects.create(
        clinic=clinic, patient=patient, routine=Routine.objects.first(), days_per_week=3
    )
    section = page.locator("#notifications")

    def shoot(name: str) -> None:
        section.scroll_into_view_if_needed()
        expect(page.locator(".htmx-request")).to_have_count(0)
        photograph(section, name)

    context.grant_permissions(["notifications"])
    context.add_init_script(FAKE_PUSH_MANAGER % (json.dumps(Browser().keys), ENDPOINT))
    log_in(page, app, "pat@example.org")
    page.goto(f"{app}/accounts/profile/")
    wait_for_control(page)
    expect(section.locator("[data-push-state]")).to_contain_text("off on this phone")
    expect(section).to_contain_text("North Physio: when your routine is updated")
    shoot("notifications-off-390")

    section.get_by_role("checkbox", name="Remind me on my routine days").check()
    section.get_by_label("Reminder time").fill("18:30")
    section.get_by_role("button", name="Save routine reminder").click()
    expect(page.locator(".notice")).to_have_text("Saved.")
    expect(section).to_contain_text("Routine days: at 18:30")
    days = section.locator(".day-set input:checked")
    expect(days).to_have_count(3)  # Mon, Wed, Fri for 3 days a week
    section.get_by_role("button", name="Turn on notifications").click()
    expect(section.locator("[data-push-state]")).to_contain_text("on for this phone")
    shoot("notifications-on-390")

    page.emulate_media(color_scheme="dark")
    shoot("notifications-on-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 375, "height": 667})
    shoot("notifications-on-375")
    page.evaluate(BIG_TEXT)
    shoot("notifications-on-375-200pc")
    assert no_sideways_scroll(page)


def test_the_permission_is_asked_only_from_a_tap_and_a_refusal_is_explained(
    app: str, page: Page, context: BrowserContext
) -> None:
    User.objects.create_user("ria@example.org", password=PASSWORD)
    context.add_init_script(FAKE_PUSH_MANAGER % (json.dumps(Browser().keys), ENDPOINT))
    log_in(page, app, "ria@example.org")
    page.goto(f"{app}/accounts/profile/")
    box = page.locator("#push-settings")
    expect(box.locator("[data-push-state]")).to_contain_text("off on this phone")
    # Nothing was asked on load: the browser still has no answer from the runner.
    assert page.evaluate("Notification.permission") == "default"
    assert page.evaluate("window.__permissionAsks") == 0

    box.get_by_role("button", name="Turn on notifications").tap()

    # Headless Chromium answers "denied" on its own; the page says so plainly.
    expect(box.locator("[data-push-state]")).to_contain_text("blocked for Footing")
    expect(box.get_by_role("button", name="Turn on notifications")).to_be_hidden()
    assert not PushSubscription.objects.exists()
