"""The clinic's side, as a clinician and a patient use it on their phones: invite, sign
up with the code, prescribe, publish a new version while the patient holds the old one
offline, and see a red-flag check-in first on the dashboard (also on a tablet)."""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime

from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import Browser, BrowserContext, Page, expect

from e2e.conftest import PHONE, no_sideways_scroll, wait_for_control
from journal.models import CheckIn

ROUTINE = "plantar-fasciitis-pain-management"
TITLE = "Plantar fasciitis: calm the pain"
PASSWORD = "heel pain is no fun 42"
TABLET = {"width": 820, "height": 1180}


def clinician_account() -> None:
    User.objects.create_user("physio@north.example", password=PASSWORD)
    call_command(
        "clinic_add_staff", "physio@north.example", "--clinic", "north", "--name", "North Physio"
    )


def phone(browser: Browser, viewport: dict[str, int] = PHONE) -> BrowserContext:
    return browser.new_context(
        viewport=viewport,
        device_scale_factor=2,
        is_mobile=viewport is PHONE,
        has_touch=True,
        service_workers="allow",
    )


def log_in(page: Page, app: str, username: str) -> None:
    page.goto(f"{app}/accounts/login/")
    page.get_by_label("Email").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".account-link")).to_have_attribute("aria-label", "Your account")


def red_flag_this_morning(username: str) -> None:
    """The patient's check-in (the check-in journey itself is e2e/test_checkin.py's)."""
    user = User.objects.get(username=username)
    today = datetime.now(UTC)
    CheckIn.objects.create(
        user=user,
        client_id=uuid.uuid4(),
        date=today.date(),
        first_step_pain=7,
        calf_swelling=True,
        answered_at=today,
    )


def test_a_published_version_reaches_a_patient_holding_the_old_one_offline(
    app: str, page: Page, browser: Browser, screenshot
) -> None:
    clinician_account()
    staff = phone(browser).new_page()
    log_in(staff, app, "physio@north.example")

    # The clinician makes an invitation for a new patient.
    staff.goto(f"{app}/clinic/invitations/")
    staff.get_by_label("Who is it for?").fill("Ann, heel, Tuesday")
    staff.get_by_role("button", name="Create invitation").click()
    code = staff.locator("[data-invite-code]").inner_text()
    assert re.fullmatch(r"[A-Z2-9]{4}-[A-Z2-9]{4}", code)
    screenshot_of(staff, screenshot, "clinic-invitation")

    # The patient signs up on their phone with the code and joins the clinic.
    page.goto(f"{app}/accounts/signup/")
    page.get_by_label("Email").fill("ann@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_label("Invitation code").fill(code.lower())
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_text("You're with North Physio")).to_be_visible()  # the welcome

    # The clinician prescribes the routine with a note.
    staff.goto(f"{app}/clinic/")
    staff.get_by_role("link", name=re.compile("ann@example.org")).click()
    staff.get_by_label("Routine").select_option(ROUTINE)
    staff.get_by_label("Days per week").last.fill("5")
    staff.get_by_label("Note for the patient").last.fill("Before your first steps, every day.")
    staff.get_by_role("button", name="Prescribe").click()
    expect(staff.get_by_role("heading", name=re.compile(TITLE))).to_be_visible()

    # The patient's home says what to do today; they save the routine for offline.
    page.goto(f"{app}/")
    wait_for_control(page)
    today = page.locator(".today-card")
    expect(today).to_contain_text(f"Today: {TITLE}")
    expect(today).to_contain_text("0 of 5 this week")
    expect(today).to_contain_text("Before your first steps, every day.")
    screenshot("clinic-patient-home-today")
    page.goto(f"{app}/routines/{ROUTINE}/")
    page.get_by_role("button", name="Save for offline").click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved for offline", timeout=15_000)
    saved = page.evaluate("() => window.footingOffline.savedList()")
    assert [(r["slug"], r["version"]) for r in saved] == [(ROUTINE, 1)]

    # Meanwhile the clinician edits the routine and publishes version 2.
    staff.goto(f"{app}/clinic/routines/{ROUTINE}/")
    first = staff.locator(".draft-item").first
    first.get_by_label("Amount").fill("15")
    staff.get_by_role("button", name="Save draft").click()
    expect(staff.locator(".change-list")).to_contain_text("Plantar fascia stretch")
    screenshot_of(staff, screenshot, "clinic-routine-editor")
    staff.get_by_label("What changed").fill("Longer arch stretch holds: 15 seconds.")
    staff.get_by_role("button", name="Publish").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("v1 → v2")
    expect(staff.locator(".change-list")).to_contain_text("15 s hold")
    screenshot_of(staff, screenshot, "clinic-routine-diff")

    # The patient's next sync (the next app start) gets v2 and says what changed.
    page.goto(f"{app}/")
    notice = page.locator(".routine-notice")
    expect(notice).to_contain_text(
        "Your routine was updated: Longer arch stretch holds: 15 seconds.", timeout=15_000
    )
    expect(notice).to_contain_text(f"{TITLE}, version 2")
    screenshot("clinic-patient-sync-changelog")
    saved = page.evaluate("() => window.footingOffline.savedList()")
    assert [(r["slug"], r["version"]) for r in saved] == [(ROUTINE, 2)]

    # The player plays the new version with the prescription's note.
    page.goto(f"{app}/routines/{ROUTINE}/play/")
    expect(page.locator(".player-kicker").first).to_contain_text("version 2")
    expect(page.locator(".player-prescribed")).to_contain_text("Before your first steps")


def test_the_clinician_sees_a_red_flag_first_on_phone_and_tablet(
    app: str, page: Page, browser: Browser, screenshot
) -> None:
    clinician_account()
    from clinic.models import Clinic, Membership, Role

    clinic = Clinic.objects.get(slug="north")
    for name in ("bea@example.org", "cat@example.org", "dan@example.org"):
        user = User.objects.create_user(name, password=PASSWORD)
        Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
    red_flag_this_morning("cat@example.org")
    bea = User.objects.get(username="bea@example.org")
    CheckIn.objects.create(
        user=bea,
        client_id=uuid.uuid4(),
        date=datetime.now(UTC).date(),
        first_step_pain=3,
        answered_at=datetime.now(UTC),
    )

    log_in(page, app, "physio@north.example")
    page.goto(f"{app}/clinic/")
    first = page.locator(".patient-row").first
    expect(first).to_contain_text("cat@example.org")
    expect(first).to_contain_text("Red flag")
    expect(first).to_contain_text("Calf swelling")
    expect(first).to_contain_text("first-step pain 7/10")
    expect(page.get_by_text("1 patient reported a red flag")).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot("clinic-dashboard-phone", full_page=True)

    first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("cat@example.org")
    expect(page.locator(".checkin-list li").first).to_contain_text("Calf swelling")
    assert no_sideways_scroll(page)
    screenshot("clinic-patient-phone", full_page=True)

    tablet = phone(browser, TABLET).new_page()
    log_in(tablet, app, "physio@north.example")
    tablet.goto(f"{app}/clinic/")
    expect(tablet.locator(".patient-row").first).to_contain_text("cat@example.org")
    assert no_sideways_scroll(tablet)
    screenshot_of(tablet, screenshot, "clinic-dashboard-tablet")
    tablet.locator(".patient-row").first.get_by_role("link").click()
    expect(tablet.locator(".clinic-columns > section")).to_have_count(2)
    assert no_sideways_scroll(tablet)
    screenshot_of(tablet, screenshot, "clinic-patient-tablet")


def screenshot_of(other: Page, screenshot, name: str) -> None:
    """The `screenshot` fixture photographs the test's own page; this one another's."""
    from e2e.conftest import SCREENSHOTS

    expect(other.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    other.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)


def test_a_runner_books_a_time_and_the_clinic_works_the_inbox(
    app: str, page: Page, browser: Browser, screenshot
) -> None:
    clinician_account()
    User.objects.create_user("runner@example.org", password=PASSWORD)

    log_in(page, app, "runner@example.org")
    page.goto(f"{app}/accounts/profile/")
    page.get_by_role("link", name="Book a time with a clinic").click()
    page.get_by_label("What would you like help with?").fill(
        "Heel pain for three weeks, worst in the morning."
    )
    page.get_by_label("When suits you?").fill("Weekday mornings")
    page.get_by_label("Phone or email").fill("runner@example.org")
    screenshot("clinic-book-a-time")
    page.get_by_role("button", name="Send request").click()
    expect(page.get_by_text("Request sent to North Physio.")).to_be_visible()

    staff = phone(browser).new_page()
    log_in(staff, app, "physio@north.example")
    staff.goto(f"{app}/clinic/")
    expect(staff.locator(".clinic-nav .count")).to_have_text("1")
    staff.get_by_role("link", name=re.compile("Inbox")).click()
    request = staff.locator(".request").first
    expect(request).to_contain_text("Heel pain for three weeks")
    expect(request).to_contain_text("Weekday mornings")
    request.get_by_label("Status").select_option("contacted")
    request.get_by_role("button", name="Update").click()
    expect(staff.locator(".request").first.locator(".badge")).to_have_text("Contacted")
    assert no_sideways_scroll(staff)
    screenshot_of(staff, screenshot, "clinic-appointments")


def test_clinic_pages_have_no_axe_violations(app: str, page: Page) -> None:
    from clinic.models import Clinic, Invitation, Membership, Prescription, Role
    from e2e.test_accessibility import check_page
    from library.models import Routine

    clinician_account()
    clinic = Clinic.objects.get(slug="north")
    patient = User.objects.create_user("eve@example.org", password=PASSWORD)
    Membership.objects.create(user=patient, clinic=clinic, role=Role.PATIENT)
    red_flag_this_morning("eve@example.org")
    Prescription.objects.create(
        clinic=clinic, patient=patient, routine=Routine.objects.get(slug=ROUTINE), days_per_week=3
    )
    invitation = Invitation.objects.create(
        clinic=clinic, code="ABCD2345", expires_at=datetime.now(UTC).replace(year=2099)
    )
    log_in(page, app, "physio@north.example")
    urls = [
        "/clinic/",
        f"/clinic/patients/{patient.pk}/",
        "/clinic/routines/",
        f"/clinic/routines/{ROUTINE}/",
        f"/clinic/routines/{ROUTINE}/versions/1...1/",
        "/clinic/invitations/",
        "/clinic/appointments/",
        "/book/",
        f"/join/{invitation.code}/",
    ]
    problems = [p for url in urls for p in check_page(page, app + url)]
    assert problems == []


# The browser's push service is outside the test (Chromium would ask Google's); the fake
# stands in for PushManager only, so push.js, the CSRF header and the API are real.
FAKE_PUSH_MANAGER = """
PushManager.prototype.getSubscription = async function () { return window.__sub || null; };
PushManager.prototype.subscribe = async function (options) {
  window.__subscribeKeyLength = new Uint8Array(options.applicationServerKey).length;
  window.__sub = {
    endpoint: "https://push.example/phone-1",
    toJSON: () => ({
      endpoint: "https://push.example/phone-1", keys: { p256dh: "BPk", auth: "au" },
    }),
    unsubscribe: async () => { window.__sub = null; return true; },
  };
  return window.__sub;
};
"""


def test_a_patient_turns_routine_notifications_on_and_off(
    app: str, page: Page, context: BrowserContext, settings, screenshot
) -> None:
    from clinic.models import Clinic, Membership, PushSubscription, Role
    from clinic.push import keys_generate

    settings.VAPID_PRIVATE_KEY = keys_generate()[0]
    clinic = Clinic.objects.create(slug="north", name="North Physio")
    patient = User.objects.create_user("fay@example.org", password=PASSWORD)
    Membership.objects.create(user=patient, clinic=clinic, role=Role.PATIENT)
    context.grant_permissions(["notifications"])
    context.add_init_script(FAKE_PUSH_MANAGER)

    log_in(page, app, "fay@example.org")
    page.goto(f"{app}/accounts/profile/")
    wait_for_control(page)
    box = page.locator("#push-settings")
    expect(box.locator("[data-push-state]")).to_have_text("Notifications are off for this phone.")
    expect(box.get_by_role("button", name="Stop notifications on this phone")).to_be_hidden()
    box.get_by_role("button", name="Notify me about routine updates").click()
    expect(box.locator("[data-push-state]")).to_have_text("Notifications are on for this phone.")
    expect(box.get_by_role("button", name="Notify me about routine updates")).to_be_hidden()
    assert page.evaluate("window.__subscribeKeyLength") == 65
    [subscription] = PushSubscription.objects.all()
    assert (subscription.user, subscription.endpoint) == (patient, "https://push.example/phone-1")
    box.scroll_into_view_if_needed()
    screenshot("clinic-push-on")

    box.get_by_role("button", name="Stop notifications on this phone").click()
    expect(box.locator("[data-push-state]")).to_have_text("Notifications are off for this phone.")
    expect(box.get_by_role("button", name="Stop notifications on this phone")).to_be_hidden()
    assert not PushSubscription.objects.exists()
