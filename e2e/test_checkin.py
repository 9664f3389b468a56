"""A runner's mornings: sign up, check in with one thumb, offline too, red flags, progress."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Locator, Page, Route, expect

from accounts.models import Profile
from e2e.conftest import (
    PHONE,
    no_sideways_scroll,
    poll_page,
    wait_for_control,
    wait_for_page_modules,
)
from journal.advice import URGENCY_DO, Urgency
from journal.models import CheckIn

PASSWORD = "a-long-password-1"


class Thumb:
    """Taps the screen and counts every tap, so the test can hold the check-in to 8."""

    def __init__(self) -> None:
        self.taps = 0

    def tap(self, target: Locator) -> None:
        target.tap()
        self.taps += 1


def runner(email: str = "runner@example.org") -> User:
    user = User.objects.create_user(email, email=email, password=PASSWORD)
    Profile.objects.create(user=user, time_zone="UTC")
    return user


def log_in(page: Page, app: str, email: str = "runner@example.org") -> None:
    page.goto(app + "/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/checkin/$"))
    # Playwright's check() reads the box at once; a tap before the form started is held.
    wait_for_page_modules(page)


def pain_scale(page: Page, legend: str) -> Locator:
    return page.get_by_role("group", name=legend)


def none_of_these(page: Page) -> Locator:
    return page.get_by_role("checkbox", name="None of these")


def test_sign_up_and_check_in_within_eight_taps(app: str, page: Page, screenshot) -> None:
    page.goto(app + "/")
    page.get_by_role("link", name="Log in").click()
    page.get_by_role("link", name="Create an account").click()
    # The log-in page has an Email field too: fill the sign-up page's, once it is there.
    expect(page.get_by_role("heading", name="Create an account")).to_be_visible()
    page.get_by_label("Email").fill("new.runner@example.org")
    page.get_by_label("Password").fill(PASSWORD)
    screenshot("checkin-signup")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Welcome to Footing")).to_be_visible()
    screenshot("checkin-welcome", full_page=True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    expect(page.get_by_role("heading", name="Morning check-in")).to_be_visible()
    screenshot("checkin-form")
    assert no_sideways_scroll(page)

    thumb = Thumb()
    first_steps = pain_scale(page, "First steps out of bed: how much did it hurt?")
    thumb.tap(first_steps.get_by_role("radio", name="3", exact=True))
    thumb.tap(page.get_by_role("checkbox", name="Inner heel"))
    thumb.tap(page.get_by_role("radio", name="Run", exact=True))
    thumb.tap(page.get_by_label("Distance (km)"))
    page.keyboard.type("6.5")
    thumb.tap(pain_scale(page, "Pain during").get_by_role("radio", name="4", exact=True))
    thumb.tap(pain_scale(page, "Pain after").get_by_role("radio", name="2", exact=True))
    thumb.tap(none_of_these(page))
    screenshot("checkin-filled", full_page=True)
    thumb.tap(page.get_by_role("button", name="Save check-in"))
    expect(page).to_have_url(re.compile(r"/checkin/\d{4}-\d\d-\d\d/$"))
    assert thumb.taps <= 8, thumb.taps

    # The first check-in is a welcome, not a verdict.
    expect(page.get_by_role("heading", name="Your first check-in is in")).to_be_visible()
    expect(page.get_by_text("AMBER")).to_have_count(0)
    expect(page.get_by_text("Get emergency care now")).to_have_count(0)
    screenshot("checkin-result")
    saved = CheckIn.objects.get()
    assert (saved.first_step_pain, saved.locations, saved.activity) == (3, ["inner-heel"], "run")
    assert (str(saved.distance_km), saved.pain_during, saved.pain_after) == ("6.50", 4, 2)
    assert saved.red_flags_answered


def answer_offline(page: Page, app: str) -> None:
    """A runner opens the check-in online, loses the signal and answers: first steps 5,
    none of the warning signs."""
    runner()
    log_in(page, app)
    page.goto(app + "/checkin/")
    wait_for_control(page)
    page.context.set_offline(True)
    pain_scale(page, "First steps out of bed: how much did it hurt?").get_by_role(
        "radio", name="5", exact=True
    ).tap()
    none_of_these(page).tap()


def save_on_the_phone(page: Page, *, first_steps: str) -> None:
    """On the check-in with no signal, once its script has started: answer and Save; the
    phone keeps it."""
    expect(page.get_by_role("heading", name="Morning check-in")).to_be_visible()
    wait_for_page_modules(page)
    pain_scale(page, "First steps out of bed: how much did it hurt?").get_by_role(
        "radio", name=first_steps, exact=True
    ).tap()
    none_of_these(page).check()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")


@pytest.mark.worker
def test_offline_checkin_is_kept_then_synced_exactly_once(app: str, page: Page, screenshot) -> None:
    answer_offline(page, app)
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")
    expect(page.locator("[data-outbox-count]")).to_have_text("1 to sync")
    screenshot("checkin-offline")
    assert CheckIn.objects.count() == 0

    page.context.set_offline(False)
    expect(page.locator("#checkin-status")).to_contain_text("Synced.")
    expect(page.locator("[data-outbox-count]")).to_be_hidden()
    assert CheckIn.objects.count() == 1
    assert CheckIn.objects.get().first_step_pain == 5

    # Replaying again (another tab, an app restart) changes nothing.
    page.evaluate("window.FootingOutbox.replay({force: true})")
    page.reload()
    expect(page.locator("[data-outbox-count]")).to_be_hidden()
    assert CheckIn.objects.count() == 1
    screenshot("checkin-synced")


@pytest.mark.worker
def test_a_red_flag_sends_the_runner_to_care_first(app: str, page: Page, screenshot) -> None:
    runner()
    log_in(page, app)
    pain_scale(page, "First steps out of bed: how much did it hurt?").get_by_role(
        "radio", name="1", exact=True
    ).tap()
    page.get_by_label(re.compile("^Leg pain that doesn.t ease")).check()
    page.get_by_label("Numbness or tingling in my foot or leg").check()
    page.get_by_role("button", name="Save check-in").tap()

    alert = page.get_by_role("alert")
    expect(alert.get_by_role("heading", name="Get emergency care now")).to_be_visible()
    expect(alert).to_contain_text("acute compartment syndrome")
    expect(alert).to_contain_text("Numbness or tingling can mean")
    expect(alert.get_by_role("link", name=re.compile("^Call 911"))).to_have_attribute(
        "href", "tel:911"
    )
    # Red flags first: the triage sits above the advice, and the advice says stop.
    triage_top = alert.bounding_box()["y"]
    advice_top = page.locator(".advice").bounding_box()["y"]
    assert triage_top < advice_top
    expect(page.get_by_role("heading", name="No running or training today")).to_be_visible()
    screenshot("checkin-red-flag")

    # With no signal the phone still says it, from the same table, with what to do.
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    # The page is everyone's; it fills itself in with this morning's answers.
    expect(page.locator('[data-slot="day"]')).to_contain_text("you checked in today")
    # The phone has the stop's code once the form has started, worker or not (this one may
    # still be installing): the signal can go any time after that.
    expect(page.locator("form[data-stop-ready]")).to_have_count(1)
    page.context.set_offline(True)
    page.get_by_label(re.compile("^Calf swelling, warmth or redness")).check()
    page.get_by_label(re.compile("^Leg pain that doesn.t ease")).uncheck()
    page.get_by_label("Numbness or tingling in my foot or leg").uncheck()
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")
    offline_alert = page.locator(".triage-gate .triage")
    expect(offline_alert.get_by_role("heading", name="See a doctor today")).to_be_visible()
    expect(offline_alert).to_contain_text("blood clot")
    expect(offline_alert).to_contain_text(URGENCY_DO[Urgency.TODAY])
    screenshot("checkin-red-flag-offline")
    page.context.set_offline(False)
    expect(page.locator("#checkin-status")).to_contain_text("Synced.")
    saved = CheckIn.objects.get()
    assert saved.calf_swelling and not saved.leg_pain_not_easing


def test_progress_chart_over_14_30_and_90_days(app: str, page: Page, screenshot) -> None:
    user = runner()
    today = timezone.now().date()
    for n in range(40):
        if n % 9 == 4:
            continue  # a missed morning now and then
        CheckIn.objects.create(
            user=user,
            client_id=uuid.uuid4(),
            date=today - timedelta(days=n),
            first_step_pain=max(1, min(10, 2 + n // 6 + (n % 3) - 1)),
            answered_at=timezone.now(),
        )
    log_in(page, app)
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Progress").click()
    chart = page.get_by_role("img", name=re.compile("First-step pain, last 14 days"))
    expect(chart).to_be_visible()
    expect(page.locator(".pain-dot")).to_have_count(12)
    expect(page.locator(".target")).to_have_count(1)
    expect(page.get_by_text("That is a real improvement")).to_be_visible()
    screenshot("progress-14", full_page=True)
    assert no_sideways_scroll(page)

    page.get_by_role("link", name="90 days").tap()
    expect(page.get_by_role("img", name=re.compile("last 90 days"))).to_be_visible()
    expect(page).to_have_url(re.compile(r"days=90"))
    expect(page.locator(".pain-dot")).to_have_count(36)
    screenshot("progress-90")


# Where each of the check-in's answers is on the page (from its top, so scrolling does not
# count; the Save bar is sticky, so not it), and what the day line says.
CONTROLS_AND_DAY = """() => ({
  tops: [...document.querySelectorAll("#checkin input")]
    .filter((input) => input.getClientRects().length)
    .map((input) => input.getBoundingClientRect().top + window.scrollY),
  day: document.querySelector('[data-slot="day"]').textContent,
})"""


def answer_while_the_day_is_on_its_way(page: Page, open_the_form: Callable[[], None]) -> str:
    """A slow server: the runner's morning (their day, from /api/v1/me) is still on its way
    while they answer (first steps 2, none of the warning signs). Nothing may move under
    their thumb when it arrives: a tap aimed before the day line was filled in landed 31 px
    above "None of these" (a flake, then). What the day line says once it has arrived."""
    held: list[Route] = []
    page.context.route("**/api/v1/me", lambda route: held.append(route))
    open_the_form()
    poll_page(page, lambda: held, "the check-in asks for the runner's day")
    before = page.evaluate(CONTROLS_AND_DAY)
    assert not before["day"].strip(), "the day line waits for /api/v1/me"
    pain_scale(page, "First steps out of bed: how much did it hurt?").get_by_role(
        "radio", name="2", exact=True
    ).tap()
    none_of_these(page).tap()
    for route in held:
        route.continue_()
    page.context.unroute("**/api/v1/me")
    expect(page.locator('[data-slot="day"]')).to_have_text(re.compile(r"\w"))
    # (A second check-in's answers are drawn in before it: the day line comes last.)
    after = page.evaluate(CONTROLS_AND_DAY)
    assert after["tops"] == before["tops"], "the form moved when the runner's day arrived"
    expect(none_of_these(page)).to_be_checked()
    return after["day"]


# How many lines an element's text takes on the screen.
LINES = """(element) => {
  const text = document.createRange();
  text.selectNodeContents(element);
  return new Set([...text.getClientRects()].map((line) => Math.round(line.top))).size;
}"""


@pytest.mark.worker
def test_server_trouble_is_retried_later_and_a_refusal_is_kept_and_explained(
    app: str, page: Page, screenshot
) -> None:
    runner()
    context = page.context
    answer_while_the_day_is_on_its_way(page, lambda: log_in(page, app))

    # A 503: the check-in stays on the phone with a retry scheduled (backoff), not lost.
    def unavailable(route) -> None:
        if route.request.method == "POST":
            route.fulfill(status=503, content_type="application/json", body='{"detail": "Down"}')
        else:
            route.continue_()

    context.route("**/api/v1/checkins", unavailable)
    # Save goes through the outbox once checkin.js has started (a tap before is held for
    # it: test_taps_before_the_page_started…).
    wait_for_page_modules(page)
    page.get_by_role("button", name="Save check-in").tap()
    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")
    expect(page.locator(".outbox-pending")).to_contain_text("Will retry: Down")
    waiting = page.evaluate(
        "window.FootingOutbox.pending().then(items => items.map(i => ({attempts: i.attempts,"
        " wait: i.nextAttempt - Date.now()})))"
    )
    assert len(waiting) == 1 and waiting[0]["attempts"] == 1 and waiting[0]["wait"] > 500
    context.unroute("**/api/v1/checkins")
    page.evaluate("window.FootingOutbox.replay({force: true})")
    expect(page.locator("#checkin-status")).to_contain_text("Synced.")
    assert CheckIn.objects.count() == 1

    # A refusal (here a date in the future) is kept, shown with the server's reason, and
    # only goes when the runner discards it.
    context.set_offline(True)
    page.evaluate(
        "window.FootingOutbox.deliver({url: '/api/v1/checkins', label: 'Check-in 2999-01-01',"
        " body: {client_id: crypto.randomUUID(), date: '2999-01-01', first_step_pain: 3}})"
    )
    context.set_offline(False)
    badge = page.locator("[data-outbox-count]")
    expect(badge).to_have_text("1 need a look")
    refused = page.locator(".outbox-rejected")
    expect(refused).to_contain_text("Not accepted (date): The date is in the future")
    refused.scroll_into_view_if_needed()
    screenshot("outbox-refused")
    page.reload()
    expect(page.locator(".outbox-rejected")).to_have_count(1)
    page.locator(".outbox-rejected").get_by_role("button", name="Discard").tap()
    expect(badge).to_be_hidden()
    assert CheckIn.objects.count() == 1


@pytest.mark.worker
def test_a_save_before_the_page_started_says_not_sent_and_loses_nothing(
    app: str, page: Page, screenshot
) -> None:
    """The plain form's post with no signal (checkin.js never started: scripts off, or it
    failed to load; a tap before it started is held for it, see test_taps_before_…): the
    worker answers "not sent" instead of the browser's error page, and Back leads to the
    form, where Save keeps it on the phone."""
    answer_offline(page, app)
    # form.submit() skips the submit listeners, as a page without its script does.
    page.locator("form[data-module~=checkin]").evaluate("form => form.submit()")
    note = page.get_by_role("alert").filter(has_text="Not sent: no signal")
    expect(note).to_be_visible()
    expect(page).to_have_url(re.compile(r"/offline/\?not-sent$"))
    assert no_sideways_scroll(page)
    screenshot("checkin-not-sent")
    assert CheckIn.objects.count() == 0

    note.get_by_role("button", name="Go back to it").tap()
    save_on_the_phone(page, first_steps="5")
    page.context.set_offline(False)
    expect(page.locator("#checkin-status")).to_contain_text("Synced.")
    assert CheckIn.objects.get().first_step_pain == 5


def test_a_second_check_in_the_same_day_does_not_move_the_form(
    app: str, page: Page, screenshot
) -> None:
    """The morning's answers are in already: the day line says so once the runner's day
    arrives, two lines at 390 px and more on a smaller phone, and the form stays put."""
    user = runner()
    CheckIn.objects.create(
        user=user,
        client_id=uuid.uuid4(),
        date=timezone.now().date(),  # the runner's zone is UTC
        first_step_pain=3,
        red_flags_answered=True,
        answered_at=timezone.now(),
    )
    log_in(page, app)
    for name, size in {"390": PHONE, "375": {"width": 375, "height": 667}}.items():
        page.set_viewport_size(size)
        day = answer_while_the_day_is_on_its_way(page, lambda: page.goto(app + "/checkin/"))
        assert day.endswith("you checked in today: change anything and save again"), day
        lines = page.locator('[data-slot="day"]').evaluate(LINES)
        assert lines >= 2, f"the test needs the long line to wrap: {lines} line at {name} px"
        screenshot(f"checkin-again-{name}")
    page.emulate_media(color_scheme="dark")
    screenshot("checkin-again-375-dark")


@pytest.mark.worker
def test_taps_before_the_page_started_are_done_once_it_has(app: str, page: Page) -> None:
    """A slow phone: the page's parts start once it has loaded (app.js). Every tap on the
    form before then is held, and done again in order once checkin.js has started: the
    warning signs still exclude each other and Save with no signal reaches the outbox."""
    runner()
    log_in(page, app)
    wait_for_control(page)
    page.reload()  # now through the service worker, which keeps a copy of the form
    # The phone's timers wait for the test from here, and so do the parts (each starts in a
    # task of its own after load); a minute ahead in the past, so today is still today.
    page.clock.install(time=datetime.now(UTC) - timedelta(minutes=10))
    page.clock.pause_at(datetime.now(UTC) - timedelta(minutes=9))
    page.context.set_offline(True)
    page.reload()
    expect(page.get_by_role("heading", name="Morning check-in")).to_be_visible()
    expect(page.locator("form[data-module~=checkin]:not([data-ready])")).to_have_count(1)
    first_steps = pain_scale(page, "First steps out of bed: how much did it hurt?")
    first_steps.get_by_role("radio", name="3", exact=True).tap()
    first_steps.get_by_role("radio", name="5", exact=True).tap()
    numbness = page.get_by_label("Numbness or tingling in my foot or leg")
    numbness.tap()
    none_of_these(page).tap()
    page.get_by_role("button", name="Save check-in").tap()

    expect(page.locator("#checkin-status")).to_have_text("Saved on this phone — will sync")
    expect(first_steps.get_by_role("radio", name="5", exact=True)).to_be_checked()
    expect(none_of_these(page)).to_be_checked()
    expect(numbness).not_to_be_checked()  # "None of these" came last: it cleared the sign
    assert CheckIn.objects.count() == 0

    page.clock.resume()
    page.context.set_offline(False)
    expect(page.locator("#checkin-status")).to_contain_text("Synced.")
    saved = CheckIn.objects.get()
    assert saved.first_step_pain == 5 and saved.red_flags_answered and not saved.numbness


@pytest.mark.worker
def test_the_checkin_opens_and_saves_with_no_signal(app: str, page: Page, screenshot) -> None:
    """The morning in a basement: the app opened online yesterday, today there is no signal."""
    runner()
    log_in(page, app)
    wait_for_control(page)
    page.reload()  # now through the service worker, which keeps a copy of the form
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Home").click()
    # Let that boosted visit end before the signal goes: cut mid-flight, it is a failed
    # request of its own, not the no-signal morning this test is about.
    expect(page.locator(".htmx-request")).to_have_count(0)
    page.context.set_offline(True)

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Check in").click()
    save_on_the_phone(page, first_steps="4")
    screenshot("checkin-offline-from-cache")

    page.context.set_offline(False)
    expect(page.locator("#checkin-status")).to_contain_text("Synced.")
    assert list(CheckIn.objects.values_list("first_step_pain", flat=True)) == [4]
