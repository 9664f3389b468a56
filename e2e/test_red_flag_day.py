"""A red flag changes the day: a patient ticks a warning sign in the morning check-in, and
home and the player show the stop (the triage and how to act on it) instead of the
session, with signal and without (a check-in saved offline waits in the outbox; the saved
player still stops). At 390×844, with screenshots of the new check-in and the stop."""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.models import User
from playwright.sync_api import Page, expect

from accounts.models import Profile
from clinic.models import Clinic, Membership, Prescription, Role
from e2e.conftest import no_sideways_scroll, wait_for_control, wait_for_page_modules
from e2e.test_checkin import PASSWORD, log_in, none_of_these, pain_scale
from e2e.test_offline import save_routine
from journal.advice import URGENCY_DO, Urgency
from journal.models import CheckIn
from library.models import Routine
from tests.waiting import poll

ROUTINE = "plantar-fasciitis-local-stabilization"
FIRST_STEPS = "First steps out of bed: how much did it hurt?"


def patient(email: str = "runner@example.org") -> User:
    user = User.objects.create_user(email, email=email, password=PASSWORD)
    Profile.objects.create(user=user, time_zone="UTC", main_condition="plantar-fasciitis")
    clinic = Clinic.objects.create(slug="north", name="North Physio", phone="+1 555 010 2030")
    Membership.objects.create(user=user, clinic=clinic, role=Role.PATIENT)
    Prescription.objects.create(
        clinic=clinic, patient=user, routine=Routine.objects.get(slug=ROUTINE), days_per_week=3
    )
    return user


def expect_stop(page: Page, urgency: Urgency, title: str) -> None:
    stop = page.locator(".triage-gate")
    expect(stop).to_be_visible()
    expect(stop.get_by_role("heading", name=title)).to_be_visible()
    expect(stop).to_contain_text(URGENCY_DO[urgency])  # the what-to-do line, offline too


def test_a_red_flag_stops_home_and_the_player_online(app: str, page: Page, screenshot) -> None:
    patient()
    log_in(page, app)
    expect(page.get_by_role("heading", name="Morning check-in")).to_be_visible()
    screenshot("checkin-new-390")
    assert no_sideways_scroll(page)
    # The warning signs are seen before Save, "None of these" first among them.
    none = none_of_these(page)
    expect(none).to_be_in_viewport()
    expect(page.get_by_role("button", name="Save check-in")).to_be_in_viewport()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_role("link", name="Start the session")).to_be_visible()

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    pain_scale(page, FIRST_STEPS).get_by_role("radio", name="2", exact=True).tap()
    page.get_by_label("Chest pain, breathlessness, coughing up blood or fainting").check()
    expect(none).not_to_be_checked()
    screenshot("checkin-red-flag-ticked")
    page.get_by_role("button", name="Save check-in").tap()
    expect(page).to_have_url(re.compile(r"/checkin/\d{4}-\d\d-\d\d/$"))
    alert = page.get_by_role("alert").first
    expect(alert.get_by_role("heading", name="Get emergency care now")).to_be_visible()
    expect(alert.get_by_role("link", name=re.compile("^Call 911"))).to_have_attribute(
        "href", "tel:911"
    )
    expect(alert.get_by_role("link", name=re.compile("^Call North Physio"))).to_have_attribute(
        "href", "tel:+15550102030"
    )
    expect(alert.get_by_role("link", name="Book a time")).to_be_visible()
    screenshot("checkin-result-emergency")

    # Home: the triage instead of "Start the session".
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    expect(page.get_by_role("heading", name="Get emergency care now")).to_be_visible()
    expect(page.get_by_role("link", name="Start the session")).to_have_count(0)
    screenshot("home-stop")

    # The player opens on the stop, not on Start.
    page.goto(f"{app}/routines/{ROUTINE}/play/")
    expect_stop(page, Urgency.EMERGENCY, "Get emergency care now")
    expect(page.locator("#player")).to_be_hidden()
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_hidden()
    expect(
        page.locator(".triage-gate").get_by_role("link", name=re.compile("^Call North"))
    ).to_be_visible()
    screenshot("player-stop-390")
    page.set_viewport_size({"width": 375, "height": 667})
    screenshot("player-stop-375")
    assert no_sideways_scroll(page)

    # Changing today's answers to "None of these" lifts the stop.
    page.goto(f"{app}/checkin/")
    chest = page.get_by_label("Chest pain, breathlessness, coughing up blood or fainting")
    expect(chest).to_be_checked()  # this morning's answers, drawn in from the server
    chest.uncheck()
    none_of_these(page).check()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page).to_have_url(re.compile(r"/checkin/\d{4}-\d\d-\d\d/$"))
    page.goto(f"{app}/")
    expect(page.get_by_role("link", name="Start the session")).to_be_visible()
    page.goto(f"{app}/routines/{ROUTINE}/play/")
    expect(page.locator(".triage-gate")).to_have_attribute("data-gate-state", "clear")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_visible()
    # With no stop, Start plays the session, styled by player-session.css (loaded on Start).
    page.get_by_role("button", name="Start", exact=True).tap()
    expect(page.locator(".player-work .player-controls")).to_have_css("display", "grid")


@pytest.mark.worker
def test_a_red_flag_saved_offline_stops_the_saved_player(app: str, page: Page, screenshot) -> None:
    patient()
    log_in(page, app)
    wait_for_control(page)
    page.reload()  # through the worker: the check-in form is kept for no signal
    page.goto(f"{app}/routines/{ROUTINE}/")
    save_routine(page)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Morning check-in")).to_be_visible()
    page.set_viewport_size({"width": 375, "height": 667})
    screenshot("checkin-new-375")
    page.set_viewport_size({"width": 390, "height": 844})
    wait_for_page_modules(page)

    page.context.set_offline(True)
    pain_scale(page, FIRST_STEPS).get_by_role("radio", name="3", exact=True).tap()
    page.get_by_label("Pain at rest or at night").check()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")
    # The check-in page says it at once, in the server's words.
    expect_stop(page, Urgency.TODAY, "See a doctor today")
    screenshot("checkin-offline-stop")
    assert not CheckIn.objects.exists()

    # The saved player, with no signal: it stops on the check-in waiting in the outbox.
    page.goto(f"{app}/routines/{ROUTINE}/play/")
    expect_stop(page, Urgency.TODAY, "See a doctor today")
    expect(page.locator(".triage-gate")).to_contain_text("bone stress injury or a nerve")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_hidden()
    screenshot("player-stop-offline")

    # Back online: the check-in reaches the server, and the player still stops (the server
    # now knows, and the phone keeps its copy for the next time there is no signal).
    page.context.set_offline(False)
    page.evaluate("window.FootingOutbox.replay({force: true})")
    poll(CheckIn.objects.exists, "the check-in saved offline reached the server")
    assert CheckIn.objects.get().rest_pain
    page.reload()
    expect_stop(page, Urgency.TODAY, "See a doctor today")
    page.context.set_offline(True)
    page.reload()
    expect_stop(page, Urgency.TODAY, "See a doctor today")
