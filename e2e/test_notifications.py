"""Notifications at phone size: any logged-in person turns them on and off for this phone."""

from __future__ import annotations

import json

from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from accounts.models import Profile
from e2e.conftest import wait_for_control
from notifications.models import PushSubscription
from tests.notifications.fakes import Browser

PASSWORD = "first steps hurt less 7"
ENDPOINT = "https://fcm.googleapis.com/fcm/send/e2e-phone-1"

# The browser's push service is outside the test (Chromium would ask Google's); this fake
# stands in for PushManager only, so push.js, the CSRF header and the API are real.
FAKE_PUSH_MANAGER = """
const KEYS = %s;
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


def log_in(page: Page, app: str, username: str) -> None:
    page.goto(f"{app}/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".account-link")).to_have_attribute("aria-label", "Your account")


def test_a_runner_turns_notifications_on_and_off(
    app: str, page: Page, context: BrowserContext, screenshot
) -> None:
    runner = User.objects.create_user("ria@example.org", password=PASSWORD)
    Profile.objects.create(user=runner, time_zone="Pacific/Auckland")
    context.grant_permissions(["notifications"])
    keys = Browser().keys
    context.add_init_script(FAKE_PUSH_MANAGER % (json.dumps(keys), ENDPOINT, ENDPOINT))

    log_in(page, app, "ria@example.org")
    page.goto(f"{app}/accounts/profile/")
    wait_for_control(page)
    box = page.locator("#push-settings")
    expect(box.locator("[data-push-state]")).to_have_text("Notifications are off for this phone.")
    expect(box.get_by_role("button", name="Turn off on this phone")).to_be_hidden()
    box.get_by_role("button", name="Turn on notifications").click()
    expect(box.locator("[data-push-state]")).to_have_text("Notifications are on for this phone.")
    expect(box.get_by_role("button", name="Turn on notifications")).to_be_hidden()
    assert page.evaluate("window.__subscribeKeyLength") == 65
    [subscription] = PushSubscription.objects.all()
    assert (subscription.user, subscription.endpoint) == (runner, ENDPOINT)
    page.locator("#notifications").scroll_into_view_if_needed()
    screenshot("notifications-on")

    box.get_by_role("button", name="Turn off on this phone").click()
    expect(box.locator("[data-push-state]")).to_have_text("Notifications are off for this phone.")
    expect(box.get_by_role("button", name="Turn off on this phone")).to_be_hidden()
    assert not PushSubscription.objects.exists()
