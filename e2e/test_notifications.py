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
import time
from datetime import time as clock

from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from accounts.models import Profile
from e2e.conftest import wait_for_control
from notifications import transport
from notifications.models import PushSubscription
from reminders.services import CHECKIN_TITLE, reminders_send_due
from tests.notifications.conftest import run_worker_committed
from tests.notifications.fakes import LOOPBACK, Browser, FakePushService

PASSWORD = "first steps hurt less 7"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/e2e-phone-1"

FAKE_PUSH_MANAGER = """
const KEYS = %s;
window.__permissionAsks = 0;
const ask = Notification.requestPermission.bind(Notification);
Notification.requestPermission = (...args) => { window.__permissionAsks += 1; return ask(...args); };
PushManager.prototype.getSubscription = async function () { return window.__sub || null; };
PushManager.prototype.subscribe = async function (options) {
  window.__subscribeKeyLength = new Uint8Array(options.applicationServerKey).length;
  window.__sub = {
    endpoint: "%s",
    toJSON: () => ({ endpoint: "%s", keys: KEYS }),
    unsubscribe: async () => { window.__sub = null; return true; },
  };
  return window.__sub;
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
    page.goto(f"{app}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".account-link")).to_have_attribute("aria-label", "Your account")


def registration_id(context: BrowserContext, page: Page) -> str:
    cdp = context.new_cdp_session(page)
    found: list[str] = []
    cdp.on(
        "ServiceWorker.workerRegistrationUpdated",
        lambda event: found.extend(r["registrationId"] for r in event["registrations"]),
    )
    cdp.send("ServiceWorker.enable")
    deadline = time.monotonic() + 15
    while not found:
        assert time.monotonic() < deadline, "no service worker registration reported"
        page.evaluate("() => new Promise((r) => setTimeout(r, 50))")
    return found[0]


def deliver(context: BrowserContext, page: Page, app: str, data: str) -> None:
    cdp = context.new_cdp_session(page)
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {"origin": app, "registrationId": registration_id(context, page), "data": data},
    )


def notifications_showing(context: BrowserContext) -> list[dict]:
    (worker,) = context.service_workers
    return worker.evaluate(SHOWN)


def wait_for_notifications(context: BrowserContext, count: int) -> list[dict]:
    deadline = time.monotonic() + 15
    while len(shown := notifications_showing(context)) < count:
        assert time.monotonic() < deadline, f"showing {shown}"
        time.sleep(0.05)  # polling the worker from the test process: no page clock to wait on
    return shown


def turn_on(page: Page, context: BrowserContext, app: str, username: str, browser: Browser):
    context.grant_permissions(["notifications"])
    context.add_init_script(FAKE_PUSH_MANAGER % (json.dumps(browser.keys), ENDPOINT, ENDPOINT))
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
    Profile.objects.create(
        user=runner, time_zone="UTC", reminder_time=clock(now.hour, now.minute)
    )
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
        run_worker_committed()
        (received,) = service.to("ria")
    finally:
        service.close()
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
    [shown] = wait_for_notifications(context, 1)
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

    [shown] = wait_for_notifications(context, 1)
    assert shown["title"] == "Readable"
    assert shown["url"] == "/"  # a link off the app is not followed
