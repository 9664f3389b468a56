"""A clinician's day with the patient list, on a phone (390×844) and at a desk (1280×800):
find a patient by name among many, call about a red flag and mark it handled, reply to an
appointment request, and pass an invitation on (copy, share, QR) to someone who joins."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from accounts.models import Profile
from clinic.models import AppointmentRequest, Clinic, Membership, RedFlagReview, Role
from e2e.conftest import PHONE, no_sideways_scroll, photograph
from e2e.test_clinic import PASSWORD, clinician_account, log_in
from journal.services import Answers, checkin_record

DESK = {"width": 1280, "height": 800}
SIZES = [pytest.param(PHONE, id="phone"), pytest.param(DESK, id="desk")]
NAMES = ["Anna Karlsson", "Ben Okafor", "Chloe Nguyen", "Dev Patel", "Ella Smith", "Finn Haddad"]


def context_at(
    new_context: Callable[..., BrowserContext], viewport: dict[str, int]
) -> BrowserContext:
    """A phone or a desk's browser, closed after the test (pytest-playwright's)."""
    return new_context(
        viewport=viewport,
        device_scale_factor=2 if viewport is PHONE else 1,
        is_mobile=viewport is PHONE,
        has_touch=viewport is PHONE,
    )


def shot(page: Page, name: str, viewport: dict[str, int]) -> None:
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    size = "phone" if viewport is PHONE else "desk"
    photograph(page, f"{name}-{size}")


def patients(clinic: Clinic, count: int) -> list[User]:
    """Patients with names, phones and two weeks of mornings (through journal's service)."""
    made = []
    now = datetime.now(UTC)
    for n in range(count):
        name = NAMES[n % len(NAMES)] + ("" if n < len(NAMES) else f" {n}")
        user = User.objects.create_user(f"patient{n}@example.org", password=PASSWORD)
        Profile.objects.create(user=user, display_name=name, phone=f"+44 7700 900{n:03d}")
        Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
        for back in range(14):
            day = (now - timedelta(days=back)).date()
            checkin_record(
                user=user,
                client_id=uuid.uuid4(),
                answers=Answers(date=day, first_step_pain=(n + back) % 6 + 1),
                now=now,
            )
        made.append(user)
    return made


def flag(user: User, field: str) -> None:
    now = datetime.now(UTC)
    checkin_record(
        user=user,
        client_id=uuid.uuid4(),
        answers=Answers(date=now.date(), first_step_pain=7, flags=frozenset({field})),
        now=now,
    )


@pytest.mark.parametrize("viewport", SIZES)
def test_find_a_patient_call_about_a_red_flag_and_mark_it_handled(
    app: str, new_context, viewport: dict[str, int]
) -> None:
    clinician_account()
    clinic = Clinic.objects.get(slug="north")
    people = patients(clinic, 8)
    flag(people[3], "calf_swelling")  # Dev Patel
    page = context_at(new_context, viewport).new_page()
    log_in(page, app, "physio@north.example")
    page.goto(f"{app}/clinic/")

    # Who needs a call first: the red flag leads, with the phone number to call.
    expect(page.get_by_text("1 patient with red flags waiting")).to_be_visible()
    first = page.locator(".patient-table tbody tr").first
    expect(first).to_contain_text("Dev Patel")
    expect(first).to_contain_text("Calf swelling")
    call = first.get_by_role("link", name=re.compile("Call Dev Patel"))
    expect(call).to_have_attribute("href", "tel:+447700900003")
    assert no_sideways_scroll(page)
    shot(page, "patients-list", viewport)

    # Find a patient by name: the list narrows as the clinician types (and the URL says so).
    page.get_by_label("Search by name or email").fill("chlo")
    expect(page.locator(".patient-table tbody tr")).to_have_count(1)
    expect(page.locator(".patient-table tbody tr")).to_contain_text("Chloe Nguyen")
    expect(page).to_have_url(re.compile(r"q=chlo"))
    shot(page, "patients-search", viewport)
    page.get_by_role("link", name="Chloe Nguyen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Chloe Nguyen")
    page.go_back()

    # Back on the flagged patients only: mark Dev's red flag handled with a note.
    page.goto(f"{app}/clinic/?filter=flagged")
    row = page.locator(".patient-table tbody tr").first
    row.locator("summary", has_text="Mark handled").click()
    row.get_by_label("What did you do? (optional)").fill("Called: to A&E for a scan")
    shot(page, "patients-mark-handled", viewport)
    row.get_by_role("button", name="Mark handled").click()
    expect(page.get_by_text("No patient matches.")).to_be_visible()
    expect(page.get_by_text("patients with red flags waiting")).to_have_count(0)
    review = RedFlagReview.objects.get()
    assert review.note == "Called: to A&E for a scan" and review.patient == people[3]

    # The patient's page keeps the history: who handled it, when, and the note.
    page.goto(f"{app}/clinic/patients/{people[3].pk}/")
    expect(page.get_by_role("heading", name="Red flags handled")).to_be_visible()
    expect(page.locator(".history-list")).to_contain_text("Called: to A&E for a scan")
    expect(page.locator(".checkin-list li").first).to_contain_text("Handled by")
    assert no_sideways_scroll(page)
    shot(page, "patients-patient-page", viewport)


@pytest.mark.parametrize("viewport", SIZES)
def test_reply_to_a_request_and_pass_an_invitation_on(
    app: str, new_context, viewport: dict[str, int]
) -> None:
    clinician_account()
    clinic = Clinic.objects.get(slug="north")
    [asker] = patients(clinic, 1)
    AppointmentRequest.objects.create(
        clinic=clinic,
        user=asker,
        reason="Heel much worse after parkrun, can I be seen this week?",
        preferred_times="Weekday mornings",
        contact="+44 7700 900000",
    )
    context = context_at(new_context, viewport)
    context.grant_permissions(["clipboard-read", "clipboard-write"])
    # The share sheet is the phone's own: record what Footing hands it.
    context.add_init_script(
        "navigator.share = async (data) => { window.__shared = data; };"
        "navigator.canShare = () => true;"
    )
    page = context.new_page()
    log_in(page, app, "physio@north.example")

    # Reply to the request: the counts move at once and the patient sees the reply.
    page.goto(f"{app}/clinic/appointments/")
    expect(page.locator("#inbox-count")).to_have_text("1")
    request = page.locator(".request").first
    request.get_by_text("Reply to Anna Karlsson").click()
    request.get_by_label("Reply (the patient sees it beside the status)").fill(
        "We can see you Tuesday at 10:00."
    )
    request.get_by_role("button", name="Send reply").click()
    answered = page.locator(".request").first
    expect(answered.locator(".badge")).to_have_text("Contacted")
    expect(answered).to_contain_text("We can see you Tuesday at 10:00.")
    expect(page.locator("#inbox-tabs")).to_contain_text("New (0)")
    expect(page.locator("#inbox-tabs")).to_contain_text("Contacted (1)")
    expect(page.locator("#inbox-count")).to_be_hidden()
    assert no_sideways_scroll(page)
    shot(page, "patients-inbox-replied", viewport)

    patient = context_at(new_context, viewport).new_page()
    log_in(patient, app, "patient0@example.org")
    patient.goto(f"{app}/accounts/profile/")
    mine = patient.locator(".my-requests")
    expect(mine).to_contain_text("Contacted")
    expect(mine).to_contain_text("We can see you Tuesday at 10:00.")
    mine.scroll_into_view_if_needed()
    shot(patient, "patients-patient-sees-reply", viewport)

    # Pass an invitation on: QR code, copy, share.
    page.goto(f"{app}/clinic/invitations/")
    page.get_by_label("Who is it for?").fill("Grace, arch pain")
    page.get_by_role("button", name="Create invitation").click()
    card = page.locator(".invite-share")
    expect(card.locator("svg.qr")).to_be_visible()
    link = card.get_by_label("Link").input_value()
    assert re.search(r"/join/[A-Z2-9]{8}/$", link)
    card.get_by_role("button", name="Copy link").click()
    expect(card.locator("[data-share-state]")).to_contain_text("Link copied")
    assert page.evaluate("navigator.clipboard.readText()") == link
    card.get_by_role("button", name="Share…").click()
    expect(card.locator("[data-share-state]")).to_have_text("Shared.")
    assert page.evaluate("window.__shared.url") == link
    assert no_sideways_scroll(page)
    card.scroll_into_view_if_needed()
    shot(page, "patients-invitation-share", viewport)
    if viewport is PHONE:  # the invitation on a small phone: code, QR and buttons fit
        page.set_viewport_size({"width": 375, "height": 667})
        assert no_sideways_scroll(page)
        card.scroll_into_view_if_needed()
        photograph(page, "patients-invitation-share-375")
        page.set_viewport_size(PHONE)

    # Whoever opens the link joins the clinic from "Join North Physio".
    newcomer = context_at(new_context, viewport).new_page()
    newcomer.goto(link)
    expect(newcomer.get_by_role("heading", level=1)).to_have_text("Join North Physio")
    shot(newcomer, "patients-join", viewport)
    newcomer.get_by_label("Email").fill("grace@example.org")
    newcomer.get_by_label("Password").fill(PASSWORD)
    newcomer.get_by_role("button", name="Join North Physio").click()
    expect(newcomer.get_by_text("You're with North Physio")).to_be_visible()  # the welcome
    shot(newcomer, "patients-joined", viewport)
    joined = Membership.objects.get(user__username="grace@example.org")
    assert (joined.clinic, joined.role) == (clinic, Role.PATIENT)
    page.goto(f"{app}/clinic/?q=grace")
    expect(page.locator(".patient-table tbody tr")).to_contain_text("Grace, arch pain")
