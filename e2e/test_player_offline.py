"""A patient saves a routine, walks into a gym with no signal, plays the whole session,
and the log reaches the server exactly once when the phone is back online."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import wait_for_control
from e2e.test_offline import save_routine
from e2e.test_player import LOCAL_HISTORY, play_one_screen, start_playing
from tests.waiting import poll
from training.models import SessionExercise, SessionLog

ROUTINE = "plantar-fasciitis-local-stabilization"


def log_in(context: BrowserContext, app: str, username: str) -> None:
    user = get_user_model().objects.create_user(username, password="a-long-password-1")
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": app}]
    )


def wait_for_rows(count: int) -> None:
    poll(lambda: SessionLog.objects.count() == count, f"{count} session log(s) are stored")


@pytest.mark.worker
def test_play_offline_resume_and_sync_exactly_once(
    app: str, page: Page, context: BrowserContext, screenshot
) -> None:
    log_in(context, app, "patient")
    page.clock.install(time=datetime.now(UTC) - timedelta(hours=1))
    page.goto(f"{app}/routines/{ROUTINE}/")
    wait_for_control(page)
    save_routine(page)

    context.set_offline(True)
    page.get_by_role("link", name="Start session").click()
    expect(page).to_have_url(re.compile(r"/play/$"))
    start_playing(page)
    stage = page.locator(".player-stage")
    for _ in range(6):  # a few screens in: exercise 1 done, into exercise 2
        play_one_screen(page)
    where = stage.locator(".player-work h1").inner_text()
    set_text = stage.locator(".player-set").inner_text()

    page.reload()  # offline: the saved copy answers, the progress is in IndexedDB
    page.get_by_role("button", name="Resume").click()
    expect(stage.locator(".player-work h1")).to_have_text(where)
    expect(stage.locator(".player-set")).to_have_text(set_text)

    for _ in range(300):
        if play_one_screen(page) == "summary":
            break
    # Kept the moment the last exercise was done: nothing to tap (Finish only leaves).
    expect(stage).to_contain_text("Saved on this phone — will sync")
    screenshot("player-finished-offline")
    assert SessionLog.objects.count() == 0

    context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    wait_for_rows(1)
    log = SessionLog.objects.get()
    assert log.user.username == "patient"
    assert log.routine_version.number == 1
    assert SessionExercise.objects.filter(log=log).count() == 6

    # The same log sent again (a lost answer, a second tab): still one row.
    [local] = page.evaluate(LOCAL_HISTORY)
    local.pop("title")
    local.pop("names")
    outcome = page.evaluate(
        "(log) => window.FootingOutbox.deliver({url: '/api/v1/sessions', body: log})", local
    )
    assert outcome["state"] == "sent"
    assert SessionLog.objects.count() == 1
    assert SessionExercise.objects.count() == 6


def test_history_shows_this_weeks_sessions(
    app: str, page: Page, context: BrowserContext, screenshot
) -> None:
    log_in(context, app, "runner")
    # Start the phone's clock in the past: fast-forwarding must not end a session in the future.
    page.clock.install(time=datetime.now(UTC) - timedelta(hours=1))
    page.goto(f"{app}/routines/plantar-fasciitis-pain-management/play/")
    start_playing(page)
    for _ in range(300):
        if play_one_screen(page) == "summary":
            break
    expect(page.locator(".player-stage")).to_contain_text("Saved.")

    page.locator(".player-stage").get_by_role("button", name="Finish").click()
    expect(page).to_have_url(re.compile(r"/history/$"))

    expect(page.get_by_text("This week: 1 session")).to_be_visible()
    expect(page.locator(".session-lines").first).to_contain_text("pain 2/10")
    screenshot("history")


def test_a_session_finishes_on_the_version_it_started(
    app: str, page: Page, context: BrowserContext
) -> None:
    from library.models import Routine
    from library.selectors import routine_draft_snapshot
    from library.services import version_publish

    log_in(context, app, "patient")
    page.clock.install(time=datetime.now(UTC) - timedelta(hours=1))
    page.goto(f"{app}/routines/plantar-fasciitis-pain-management/play/")
    start_playing(page)
    play_one_screen(page)

    # A new version lands mid-session (as load_content publishes one).
    routine = Routine.objects.select_related("current_version").get(
        slug="plantar-fasciitis-pain-management"
    )
    version_publish(
        routine=routine,
        snapshot=routine_draft_snapshot(routine=routine),
        changelog="New version mid-session.",
    )
    for _ in range(300):
        if play_one_screen(page) == "summary":
            break
    expect(page.locator(".player-stage")).to_contain_text("Saved.")

    assert SessionLog.objects.get().routine_version.number == 1
