"""A stranger plays a session or does the self-check with no account, then signs up: the
welcome offers them to the new account, which gets them through the outbox exactly once;
the next person to sign up on the same phone gets none of it."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.conftest import poll_page
from e2e.test_player import play_one_screen, start_playing
from e2e.test_selfcheck import PLANTAR_FASCIITIS, answer_through
from footing import dates
from selfcheck.models import SelfCheckResult
from training.models import SessionLog

PASSWORD = "a-long-password-1"


def an_hour_ago() -> datetime:
    return datetime.now(UTC) - timedelta(hours=1)


ROUTINE = "/routines/plantar-fasciitis-pain-management/play/"


def play_a_whole_session(page: Page, app: str, kept: str = "Saved on this phone.") -> None:
    page.goto(app + ROUTINE)
    start_playing(page)
    for _ in range(300):
        if play_one_screen(page) == "summary":
            break
    expect(page.locator(".player-stage")).to_contain_text(kept)


def sign_up(page: Page, app: str, name: str) -> None:
    page.goto(app + "/accounts/signup/")
    page.get_by_label("Email").fill(name)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Welcome to Footing")).to_be_visible()


def test_sign_up_keeps_the_strangers_session_exactly_once(app: str, page: Page, screenshot) -> None:
    page.clock.install(time=an_hour_ago())  # the played minutes must not end in the future
    play_a_whole_session(page, app)

    sign_up(page, app, "new.runner@example.org")
    offer = page.locator(".keep-sessions")
    expect(offer.get_by_role("heading")).to_have_text("Keep the session you did on this phone?")
    expect(offer).to_contain_text("Plantar fasciitis: calm the pain")
    screenshot("welcome-keep-sessions", full_page=True)
    offer.get_by_role("button", name="Keep it").click()
    expect(offer.get_by_role("status")).to_have_text("1 saved to your account.")

    user = User.objects.get(username="new.runner@example.org")
    [log] = SessionLog.objects.filter(user=user)
    assert log.routine_version.routine.slug == "plantar-fasciitis-pain-management"
    # The browser wrote its date as the pages do (static/js/dates.js = footing/dates.py).
    zone = page.evaluate("Intl.DateTimeFormat().resolvedOptions().timeZone")
    with timezone.override(ZoneInfo(zone)):
        expect(offer.locator("li")).to_have_text(
            f"Plantar fasciitis: calm the pain, {dates.moment(log.started_at)}"
        )

    # Offered once: back on the welcome, nothing more to keep, and still one row.
    page.reload()
    expect(page.get_by_role("heading", name="Welcome to Footing")).to_be_visible()
    expect(page.locator('.keep-sessions[data-checked="true"]')).to_be_hidden()
    page.evaluate("window.FootingOutbox.replay({ force: true })")
    assert SessionLog.objects.filter(user=user).count() == 1


def test_a_session_played_logged_in_is_never_offered_to_the_next_sign_up(
    app: str, page: Page
) -> None:
    """A shared phone: the first person's session is theirs, not the next newcomer's."""
    page.clock.install(time=an_hour_ago())  # the played minutes must not end in the future
    sign_up(page, app, "first@example.org")
    checked = page.locator('.keep-sessions[data-checked="true"]')
    expect(checked).to_be_hidden()  # nothing was played on this phone yet
    play_a_whole_session(page, app, kept="Saved.")  # logged in: sent to the account
    page.goto(app + "/accounts/profile/")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()

    sign_up(page, app, "second@example.org")
    expect(checked).to_have_count(1)
    expect(checked).to_be_hidden()
    second = User.objects.get(username="second@example.org")
    assert not SessionLog.objects.filter(user=second).exists()
    assert SessionLog.objects.filter(user__username="first@example.org").count() == 1


def do_the_self_check(page: Page, app: str) -> None:
    page.goto(app + "/self-check/")
    answer_through(page, PLANTAR_FASCIITIS.symptoms)
    expect(page.locator(".sc-on-phone")).to_contain_text("Only on this phone for now.")
    # The words come with the result; the phone keeps it a moment later (selfcheck.js loads
    # selfcheck-on-phone.js when a result comes): a person reads first, the journey waits.
    kept = "() => localStorage.getItem('footing-selfcheck') !== null"
    poll_page(page, lambda: page.evaluate(kept), "the phone keeps the self-check result")


def log_out(page: Page, app: str) -> None:
    page.goto(app + "/accounts/profile/")
    page.get_by_role("button", name="Log out").click()
    expect(page.get_by_role("link", name="Log in")).to_be_visible()


def test_sign_up_keeps_the_strangers_last_self_check_once(app: str, page: Page, screenshot) -> None:
    do_the_self_check(page, app)

    sign_up(page, app, "checked@example.org")
    offer = page.locator(".keep-selfcheck")
    expect(offer).to_contain_text("your self-check pointed to Plantar fasciitis.")
    screenshot("welcome-keep-selfcheck", full_page=True)
    offer.get_by_role("button", name="Keep it").click()
    expect(offer.get_by_role("status")).to_have_text(
        "Kept in your account. It is on your home page."
    )
    # What brings them here, not answered yet: what the result pointed to, to confirm.
    expect(page.get_by_label("What brings you here?")).to_have_value("plantar-fasciitis")
    user = User.objects.get(username="checked@example.org")
    [kept] = SelfCheckResult.objects.filter(user=user)
    assert kept.top_condition == "plantar-fasciitis"

    # Once: no second offer, a replay changes nothing, and home says what it pointed to.
    page.reload()
    expect(page.locator('.keep-selfcheck[data-checked="true"]')).to_be_hidden()
    page.evaluate("window.FootingOutbox.replay({ force: true })")
    assert SelfCheckResult.objects.filter(user=user).count() == 1
    page.goto(app + "/")
    card = page.locator(".selfcheck-last")
    expect(card).to_contain_text("it pointed to Plantar fasciitis.")
    expect(card).to_contain_text("see a sports medicine doctor")
    screenshot("home-selfcheck-last", full_page=True)

    # The next person on this phone: nothing of the first one is offered.
    log_out(page, app)
    sign_up(page, app, "next@example.org")
    expect(page.locator('.keep-selfcheck[data-checked="true"]')).to_be_hidden()
    assert not SelfCheckResult.objects.filter(user__username="next@example.org").exists()
