"""The clinic's side, as a clinician and a patient use it on their phones: invite, sign
up with the code, prescribe, publish a new version while the patient holds the old one
offline, and see a red-flag check-in first on the dashboard (also on a tablet)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime

import pytest
from django.contrib.auth.models import User
from django.core.management import call_command
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import (
    PHONE,
    log_in_with_the_form,
    no_sideways_scroll,
    photograph,
    wait_for_control,
)
from e2e.test_accessibility import COLOUR_RULES, violations
from journal.services import Answers, checkin_record
from tests.waiting import poll

ROUTINE = "plantar-fasciitis-pain-management"
COPY = f"north-{ROUTINE}"
TITLE = "Plantar fasciitis: calm the pain"
CHANGELOG = "Longer arch stretch holds: 15 seconds."
PASSWORD = "heel pain is no fun 42"
TABLET = {"width": 820, "height": 1180}
SYNC_THEN_LIST = "() => window.footingOffline.syncCheck().then(window.footingOffline.savedList)"


def wait_for_saved_versions(page: Page, wanted: list[tuple[str, int]]) -> None:
    """Sync until the phone's saved routines are `wanted`: a sync the page started
    itself may be under way and answer from before the clinic published."""

    def saved_versions() -> bool:
        saved = page.evaluate(SYNC_THEN_LIST)
        return [(r["slug"], r["version"]) for r in saved] == wanted

    poll(saved_versions, f"the saved routines are {wanted}")


def clinician_account() -> None:
    User.objects.create_user("physio@north.example", password=PASSWORD)
    call_command(
        "clinic_add_staff", "physio@north.example", "--clinic", "north", "--name", "North Physio"
    )


def phone(
    new_context: Callable[..., BrowserContext], viewport: dict[str, int] = PHONE
) -> BrowserContext:
    """Another phone (or a tablet), closed after the test as the test's own is: a context
    left open keeps its service worker registered for the same origin, which later
    tests' DevTools sessions then see."""
    return new_context(viewport=viewport, is_mobile=viewport is PHONE)


def log_in(page: Page, app: str, username: str) -> None:
    log_in_with_the_form(page, app, username, PASSWORD)


def checked_in(username: str, pain: int, **flags: bool) -> None:
    """The patient's check-in, through journal's service (the check-in journey itself is
    e2e/test_checkin.py's)."""
    now = datetime.now(UTC)
    checkin_record(
        user=User.objects.get(username=username),
        client_id=uuid.uuid4(),
        answers=Answers(date=now.date(), first_step_pain=pain, flags=frozenset(flags)),
        now=now,
    )


def red_flag_this_morning(username: str) -> None:
    checked_in(username, 7, calf_swelling=True)


@pytest.mark.worker
def test_a_clinics_own_version_reaches_its_patient_offline_and_nobody_else(
    app: str, page: Page, new_context, context: BrowserContext, screenshot
) -> None:
    """Issue 15's journey: copy a library routine, prescribe the copy, change a dose,
    publish with a changelog; the patient sees it on home and plays it offline after the
    next sync, while another clinic's patient and an anonymous runner keep the library's."""
    clinician_account()
    staff = phone(new_context).new_page()
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

    # The clinician copies the library routine to the clinic.
    staff.goto(f"{app}/clinic/routines/")
    screenshot_of(staff, screenshot, "clinic-routine-list")
    staff.get_by_role("button", name=f"Copy {TITLE} to my clinic").click()
    expect(staff.get_by_text("Copied to your clinic.")).to_be_visible()
    assert staff.url.startswith(f"{app}/clinic/routines/{COPY}/")

    # …and prescribes the copy: the form says what it will prescribe before saving it.
    staff.goto(f"{app}/clinic/")
    # The invitation's label names the patient until they give their own name.
    staff.get_by_role("link", name="Ann, heel, Tuesday").click()
    top = staff.evaluate("() => window.scrollY")
    staff.get_by_label("Routine", exact=True).select_option(COPY)
    summary = staff.locator(".prescribe-summary")
    expect(summary).to_contain_text(f"{TITLE} (version 1, your clinic's own)")
    expect(summary).to_be_focused()
    staff.get_by_label("Days per week").last.fill("5")
    staff.get_by_label("Note for the patient").last.fill("Before your first steps, every day.")
    staff.get_by_role("button", name="Update this summary").click()
    expect(summary).to_contain_text("5 days a week")
    expect(summary).to_contain_text("“Before your first steps, every day.”")
    shot_at(staff, summary, "clinic-prescribe-summary")
    staff.get_by_role("button", name="Prescribe", exact=True).click()
    result = staff.locator("#prescribe-result")
    expect(result).to_contain_text(f"Prescribed {TITLE}, 5 days a week.")
    expect(result).to_be_focused()
    shot_at(staff, result, "clinic-prescribed")
    assert staff.evaluate("() => window.scrollY") >= top  # answered in place, no jump to the top
    expect(staff.locator(".prescription h3")).to_contain_text(TITLE)

    # The patient's home says what to do today; they save the routine for offline.
    page.goto(f"{app}/")
    wait_for_control(page)
    today = page.locator(".today-card")
    expect(today).to_contain_text(f"Today: {TITLE}")
    expect(today).to_contain_text("0 of 5 this week")
    screenshot("clinic-patient-home-today")
    page.goto(f"{app}/routines/{COPY}/")
    page.get_by_role("button", name="Save for offline").click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved for offline", timeout=15_000)
    saved = page.evaluate("() => window.footingOffline.savedList()")
    assert [(r["slug"], r["version"]) for r in saved] == [(COPY, 1)]

    # Meanwhile the clinician changes a dose in the copy and publishes version 2.
    staff.goto(f"{app}/clinic/routines/{COPY}/")
    first = staff.locator(".draft-item").first
    first.get_by_label("Amount").fill("15")
    staff.get_by_role("button", name="Save draft").click()
    expect(staff.locator(".change-list")).to_contain_text("Plantar fascia stretch")
    shot_at(staff, staff.locator(".draft-item").first, "clinic-routine-editor")
    staff.get_by_label("What changed").fill(CHANGELOG)
    staff.get_by_role("button", name="Review and publish").click()
    confirm = staff.locator(".confirm-publish")
    expect(staff.locator(".reach")).to_contain_text("This reaches 1 patient (1 has it saved")
    expect(confirm).to_contain_text(f"Your routine was updated: {CHANGELOG}")
    shot_at(staff, confirm, "clinic-publish-confirm")
    staff.emulate_media(color_scheme="dark")
    shot_at(staff, confirm, "clinic-publish-confirm-dark")
    staff.emulate_media(color_scheme="light")
    staff.set_viewport_size({"width": 375, "height": 667})
    shot_at(staff, confirm, "clinic-publish-confirm-375")
    staff.set_viewport_size(PHONE)
    confirm.get_by_role("button", name="Publish version 2").click()
    expect(staff.get_by_role("heading", level=1)).to_contain_text("v1 → v2")
    expect(staff.locator(".change-list")).to_contain_text("15 s hold")
    expect(staff.locator(".published")).to_contain_text("It reaches 1 patient")
    screenshot_of(staff, screenshot, "clinic-routine-published")

    # The patient's next start: home says what changed, once; the saved copy is v2.
    page.goto(f"{app}/")
    notice = page.locator(".routine-updated")
    expect(notice).to_contain_text(f"Your routine was updated: {CHANGELOG}")
    screenshot("clinic-patient-routine-updated")
    assert violations(page) == []
    page.emulate_media(color_scheme="dark")
    assert violations(page, only=COLOUR_RULES) == []
    screenshot("clinic-patient-routine-updated-dark")
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 375, "height": 667})
    screenshot("clinic-patient-routine-updated-375")
    page.set_viewport_size(PHONE)
    wait_for_saved_versions(page, [(COPY, 2)])
    page.reload()
    expect(page.locator(".today-card")).to_be_visible()
    expect(page.locator(".routine-updated")).to_have_count(0)  # seen once is enough

    # In the gym with no signal, the player plays the clinic's version 2.
    context.set_offline(True)
    page.goto(f"{app}/routines/{COPY}/play/")
    expect(page.locator(".player-kicker").first).to_contain_text("version 2")
    expect(page.locator(".player-preview")).to_contain_text("10 × 15 s hold")
    screenshot("clinic-patient-player-offline-v2")
    context.set_offline(False)

    # Version 3 comes out; the phone's next sync (from My routines, no notice there)
    # brings it, and the player's start screen says what changed, with no signal.
    publish_as_north(COPY, "Back to 10-second holds for this week.", version=2, hold=10)
    page.goto(f"{app}/offline/")
    wait_for_saved_versions(page, [(COPY, 3)])
    context.set_offline(True)
    page.goto(f"{app}/routines/{COPY}/play/")
    offline_notice = page.locator(".player-start .routine-updated")
    expect(offline_notice).to_contain_text(
        "Your routine was updated: Back to 10-second holds for this week."
    )
    expect(page.locator(".player-preview")).to_contain_text("10 × 10 s hold")
    screenshot("clinic-patient-player-offline-notice")
    context.set_offline(False)
    # Back online, the next sync tells the server it was seen: it is not shown again.
    page.goto(f"{app}/offline/")
    page.evaluate(SYNC_THEN_LIST)
    assert seen_version(COPY, "ann@example.org") == 3

    # A patient of another clinic and an anonymous runner still get the library's v1,
    # and the North copy does not exist for them.
    other_clinic_patient()
    for who in ("south-patient@example.org", None):
        other = phone(new_context).new_page()
        if who:
            log_in(other, app, who)
        other.goto(f"{app}/routines/{ROUTINE}/")
        expect(other.locator(".step-dose").first).to_contain_text("10 × 10 s hold")
        expect(other.locator(".version")).to_contain_text("Version 1")
        assert other.goto(f"{app}/routines/{COPY}/").status == 404
        other.context.close()


def publish_as_north(slug: str, changelog: str, *, version: int, hold: int) -> None:
    """North's clinician publishes the next version (the editor's journey is above)."""
    from clinic import services
    from clinic.models import Membership
    from library.models import Routine
    from library.types import DraftItem

    routine = Routine.objects.get(slug=slug)
    rows = [
        DraftItem(
            exercise=item.exercise.slug,
            sets=item.sets,
            reps=item.reps,
            hold_seconds=hold if n == 0 else item.hold_seconds,
            minutes=item.minutes,
            rest_seconds=item.rest_seconds,
            note=item.note,
        )
        for n, item in enumerate(routine.items.order_by("position"))
    ]
    services.routine_publish(
        membership=Membership.objects.get(user__username="physio@north.example"),
        slug=slug,
        changelog=changelog,
        expected_version=version,
        expected_revision=routine.draft_revision,
        items=rows,
    )


def seen_version(slug: str, username: str) -> int:
    from clinic.models import Prescription

    return Prescription.objects.get(routine__slug=slug, patient__username=username).seen_version


def other_clinic_patient() -> None:
    from clinic.models import Clinic, Membership, Role

    south = Clinic.objects.create(slug="south", name="South Sports")
    user = User.objects.create_user("south-patient@example.org", password=PASSWORD)
    Membership.objects.create(user=user, clinic=south, role=Role.PATIENT)


def test_the_clinician_sees_a_red_flag_first_on_phone_and_tablet(
    app: str, page: Page, new_context, screenshot
) -> None:
    clinician_account()
    from clinic.models import Clinic, Membership, Role

    clinic = Clinic.objects.get(slug="north")
    for name in ("bea@example.org", "cat@example.org", "dan@example.org"):
        user = User.objects.create_user(name, password=PASSWORD)
        Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
    red_flag_this_morning("cat@example.org")
    checked_in("bea@example.org", 3)

    log_in(page, app, "physio@north.example")
    page.goto(f"{app}/clinic/")
    first = page.locator(".patient-table tbody tr").first
    expect(first).to_contain_text("cat@example.org")
    expect(first).to_contain_text("Today")
    expect(first).to_contain_text("Calf swelling")
    expect(first).to_contain_text("Pain 7/10")
    expect(page.get_by_text("1 patient with red flags waiting")).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot("clinic-dashboard-phone", full_page=True)

    first.get_by_role("link", name="cat@example.org").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("cat@example.org")
    expect(page.locator(".checkin-list li").first).to_contain_text("Calf swelling")
    assert no_sideways_scroll(page)
    screenshot("clinic-patient-phone", full_page=True)

    tablet = phone(new_context, TABLET).new_page()
    log_in(tablet, app, "physio@north.example")
    tablet.goto(f"{app}/clinic/")
    expect(tablet.locator(".patient-table tbody tr").first).to_contain_text("cat@example.org")
    assert no_sideways_scroll(tablet)
    screenshot_of(tablet, screenshot, "clinic-dashboard-tablet")
    tablet.locator(".patient-table tbody tr").first.get_by_role("link").first.click()
    expect(tablet.locator(".clinic-columns > section")).to_have_count(2)
    assert no_sideways_scroll(tablet)
    screenshot_of(tablet, screenshot, "clinic-patient-tablet")


def shot_at(other: Page, target, name: str) -> None:
    """A phone-screen photo (not the whole page) with `target` scrolled into view."""
    expect(other.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    target.evaluate("(el) => el.scrollIntoView({block: 'center'})")
    photograph(other, name)


def screenshot_of(other: Page, screenshot, name: str) -> None:
    """The `screenshot` fixture photographs the test's own page; this one another's."""
    expect(other.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    photograph(other, name, full_page=True)


def test_a_runner_books_a_time_and_the_clinic_works_the_inbox(
    app: str, page: Page, new_context, screenshot
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

    staff = phone(new_context).new_page()
    log_in(staff, app, "physio@north.example")
    staff.goto(f"{app}/clinic/")
    expect(staff.locator(".clinic-nav .count")).to_have_text("1")
    staff.get_by_role("link", name=re.compile("Inbox")).click()
    request = staff.locator(".request").first
    expect(request).to_contain_text("Heel pain for three weeks")
    expect(request).to_contain_text("Weekday mornings")
    request.get_by_label("Status", exact=True).select_option("contacted")
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
    copy = own_copy_with_a_second_version(clinic)
    log_in(page, app, "physio@north.example")
    urls = [
        "/clinic/",
        f"/clinic/patients/{patient.pk}/",
        "/clinic/routines/",
        "/clinic/routines/new/",
        f"/clinic/routines/{ROUTINE}/",
        f"/clinic/routines/{copy}/",
        f"/clinic/routines/{copy}/versions/1...2/?published=1",
        f"/clinic/routines/{ROUTINE}/versions/1...1/",
        "/clinic/invitations/",
        "/clinic/appointments/",
        "/book/",
        f"/join/{invitation.code}/",
    ]
    problems = [p for url in urls for p in check_page(page, app + url)]
    assert problems == []


def own_copy_with_a_second_version(clinic) -> str:
    """North's copy of the library routine, with a v2 (a dose changed)."""
    from clinic import services
    from clinic.models import Membership, Role
    from library.types import DraftItem

    membership = Membership.objects.filter(clinic=clinic, role=Role.CLINICIAN).first()
    copy = services.routine_copy(membership=membership, slug=ROUTINE)
    services.routine_publish(
        membership=membership,
        slug=copy.slug,
        changelog=CHANGELOG,
        expected_version=1,
        expected_revision=0,
        items=[DraftItem(exercise="plantar-fascia-stretch", sets=10, hold_seconds=15)],
    )
    return copy.slug
