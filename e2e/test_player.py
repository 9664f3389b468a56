"""A patient plays a whole routine with the guided player, one exercise per screen."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

from playwright.sync_api import Page, expect

from e2e.conftest import no_sideways_scroll

ROUTINE = "/routines/plantar-fasciitis-local-stabilization/"


# One round trip says which screen the player shows, where in the session it is, and for a
# timed set what its dial reads (each `is_visible` would be a round trip of its own).
_SCREEN = """() => {
  const stage = document.querySelector(".player-stage");
  if (stage.querySelector(".player-start")) return { kind: "starting" };
  const shown = (el) => Boolean(el?.checkVisibility({ visibilityProperty: true }));
  const has = (selector, text) =>
    [...stage.querySelectorAll(selector)].some((el) => shown(el) && el.textContent.trim() === text);
  // Which screen, exercise, set and side: changes when a set (or side) is over.
  const where = [...stage.querySelectorAll("h1, .player-set, .player-kicker")]
    .map((el) => el.textContent).join("|");
  const read = (selector) => stage.querySelector(selector)?.textContent ?? "";
  const kind = has("h1", "Session complete") ? "summary"
    : has("button", "Skip rest") ? "rest"
    : has("h1", "How did that feel?") ? "feedback"
    : shown(stage.querySelector(".tap-count")) ? "reps"
    : shown(stage.querySelector(".timer")) ? "timer"
    : "unknown";
  return { kind, where, label: read(".timer-label"), value: read(".timer-value"),
           text: stage.innerText.slice(0, 200) };
}"""
# player-view.js checks the clock every 250 ms: a set is over at the first check after its end.
TICK_MS = 250


def dial_ms(value: str) -> int:
    """The time the dial reads ("7", "1:05": whole seconds, rounded up) in milliseconds."""
    minutes, _, seconds = value.rpartition(":")
    return (int(minutes or 0) * 60 + int(seconds)) * 1000


def start_playing(page: Page) -> None:
    """Tap Start with the phone's clock stopped: from here it moves only when the test runs
    it (`page.clock.run_for`), so a busy machine cannot end a 5-second rest between seeing
    "Skip rest" and tapping it, or move a hold's dial past what the test reads. Installed
    but running, the fake clock also follows real time.

    `pause_at` cannot go back in time, so it stops a minute ahead of the phone's now: on
    the start screen nothing is timed (no set has begun), and whatever was waiting for a
    timer (the outbox's next retry) simply runs now. Once the session is over
    (`play_one_screen` sees the summary) the clock runs again for the pages that follow."""
    start = page.get_by_role("button", name="Start", exact=True)
    expect(start).to_be_visible()
    phone_now = datetime.fromtimestamp(page.evaluate("Date.now()") / 1000, UTC)
    page.clock.pause_at(phone_now + timedelta(minutes=1))
    start.click()


def play_one_screen(page: Page) -> str:
    """Do whatever the current screen asks; return what it was."""
    stage = page.locator(".player-stage")
    screen = page.evaluate(_SCREEN)
    if screen["kind"] == "starting":
        # Start loads the running session's modules first (player.js): wait until it shows.
        expect(stage.locator(".player-start")).to_have_count(0)
        screen = page.evaluate(_SCREEN)
    kind = screen["kind"]
    if kind == "rest":
        page.clock.run_for(1000)
        stage.get_by_role("button", name="Skip rest").click()
    elif kind == "feedback":
        stage.get_by_role("button", name="2", exact=True).click()
        stage.get_by_role("button", name="Right").click()
        stage.get_by_role("button", name="Next").click()
    elif kind == "reps":
        stage.get_by_role("button", name="Done").click()
    elif kind == "timer":
        # Let the wall clock run to the end of what the dial shows ("Get ready", then the
        # hold): the set (or side) is over once its time is up, not a tick later.
        where = screen["where"]
        for _ in range(3):
            page.clock.run_for(dial_ms(screen["value"]) + TICK_MS)
            screen = page.evaluate(_SCREEN)
            if screen["where"] != where:
                return "timer"
        raise AssertionError(f"the timer never ended: {screen}")
    elif kind == "summary":
        page.clock.resume()  # the session is over: see start_playing
    else:
        raise AssertionError(f"unknown player screen: {screen['text']}")
    return kind


def test_play_a_whole_routine_with_reps_holds_rest_and_feedback(
    app: str, page: Page, screenshot
) -> None:
    page.clock.install()
    page.goto(app + ROUTINE)
    page.get_by_role("link", name="Start session").click()
    expect(page).to_have_url(re.compile(r"/play/$"))
    screenshot("player-start")
    start_playing(page)

    stage = page.locator(".player-stage")
    expect(stage).to_contain_text("Exercise 1 of 6")
    expect(stage.locator(".player-set")).to_contain_text(re.compile(r"(Set|Hold) 1 of"))
    screenshot("player-exercise")
    assert no_sideways_scroll(page)

    seen: list[str] = []
    for _ in range(200):
        kind = play_one_screen(page)
        seen.append(kind)
        if kind == "summary":
            break
    assert seen[-1] == "summary"
    assert {"reps", "timer", "rest", "feedback"} <= set(seen)
    expect(stage).to_contain_text("6 of 6")
    screenshot("player-summary")


def test_tap_to_count_finishes_the_set_and_rests(app: str, page: Page, screenshot) -> None:
    page.clock.install()
    page.goto(app + "/routines/plantar-fasciitis-global-stabilization/play/")
    start_playing(page)
    stage = page.locator(".player-stage")
    target = int(re.search(r"of (\d+)", stage.locator(".tap-target").inner_text()).group(1))

    for _ in range(target - 1):
        stage.locator(".tap-count").click()
    expect(stage.locator(".tap-number")).to_have_text(str(target - 1))
    stage.locator(".tap-count").click()

    expect(stage.get_by_role("button", name="Skip rest")).to_be_visible()
    screenshot("player-rest")
    expect(stage).to_contain_text("set 2 of")


def test_a_hold_counts_down_on_the_wall_clock(app: str, page: Page, screenshot) -> None:
    page.clock.install()
    page.goto(app + "/routines/plantar-fasciitis-pain-management/play/")
    start_playing(page)
    stage = page.locator(".player-stage")

    expect(stage.locator(".timer-label")).to_have_text("Get ready")
    page.clock.run_for(3100)
    expect(stage.locator(".timer-label")).to_have_text("Hold")
    page.clock.run_for(4000)
    expect(stage.locator(".timer-value")).to_have_text(re.compile(r"^[56]$"))
    screenshot("player-hold")
    page.clock.run_for(6000)
    expect(stage.get_by_role("button", name="Skip rest")).to_be_visible()


def test_pause_stops_the_clock(app: str, page: Page) -> None:
    page.clock.install()
    page.goto(app + "/routines/plantar-fasciitis-pain-management/play/")
    start_playing(page)  # the phone's clock moves only when the test says
    stage = page.locator(".player-stage")
    page.clock.run_for(5000)
    value = stage.locator(".timer-value").inner_text()

    stage.get_by_role("button", name="Pause").click()
    page.clock.run_for(60_000)
    stage.get_by_role("button", name="Carry on").click()

    expect(stage.locator(".timer-value")).to_have_text(value)


def test_skip_asks_why(app: str, page: Page, screenshot) -> None:
    page.goto(app + "/routines/plantar-fasciitis-pain-management/play/")
    page.get_by_role("button", name="Start", exact=True).click()
    stage = page.locator(".player-stage")

    stage.get_by_role("button", name="Skip").click()
    screenshot("player-skip")
    stage.get_by_role("button", name="It hurt").click()

    # Skipped because it hurt: the check-in's advice for pain above the limit, then on.
    expect(stage.get_by_role("heading", name="Back off a little")).to_be_visible()
    expect(stage).to_contain_text("hurts more than 5 out of 10")
    expect(stage).to_contain_text("Make the next one shorter or easier")
    screenshot("player-skip-hurt")
    stage.get_by_role("button", name="Carry on").click()
    expect(stage).to_contain_text("Exercise 2 of")


def test_a_reload_offers_resume_at_the_same_set(app: str, page: Page) -> None:
    page.clock.install()
    page.goto(app + ROUTINE)
    page.get_by_role("link", name="Start session").click()
    start_playing(page)
    stage = page.locator(".player-stage")
    play_one_screen(page)  # finish set 1 of exercise 1
    play_one_screen(page)  # through the rest
    expect(stage.locator(".player-set")).to_contain_text(re.compile(r"(Set|Hold) 2 of"))
    where = stage.locator(".player-work h1").inner_text()

    page.reload()
    page.get_by_role("button", name="Resume").click()

    expect(stage.locator(".player-work h1")).to_have_text(where)
    expect(stage.locator(".player-set")).to_contain_text(re.compile(r"(Set|Hold) 2 of"))


SPY_ON_DEVICE_APIS = """
window.__wakeLocks = 0; window.__vibrations = 0;
Object.defineProperty(navigator, "wakeLock", { configurable: true, value: {
  request: async () => {
    window.__wakeLocks += 1;
    const sentinel = new EventTarget();
    sentinel.release = async () => { window.__released = (window.__released || 0) + 1;
                                     sentinel.dispatchEvent(new Event("release")); };
    return sentinel;
  },
}});
navigator.vibrate = () => { window.__vibrations += 1; return true; };
"""


def test_the_screen_stays_awake_while_playing_and_cues_vibrate(app: str, page: Page) -> None:
    page.add_init_script(SPY_ON_DEVICE_APIS)
    page.clock.install()
    page.goto(app + "/routines/plantar-fasciitis-pain-management/play/")
    expect(page.get_by_role("button", name="Sound cues")).to_have_attribute("aria-pressed", "false")
    page.get_by_role("button", name="Start", exact=True).click()
    stage = page.locator(".player-stage")
    expect(stage.locator(".timer")).to_be_visible()
    assert page.evaluate("window.__wakeLocks") == 1

    stage.get_by_role("button", name="Pause").click()
    assert page.evaluate("window.__released") == 1
    stage.get_by_role("button", name="Carry on").click()
    assert page.evaluate("window.__wakeLocks") == 2

    page.clock.run_for(3_000 + 10_000 + 500)  # get ready, then the whole first hold
    assert page.evaluate("window.__vibrations") >= 1


def test_nothing_done_is_not_a_completed_session_and_is_not_kept(
    app: str, page: Page, screenshot
) -> None:
    page.goto(app + "/routines/plantar-fasciitis-pain-management/play/")
    page.get_by_role("button", name="Start", exact=True).click()
    stage = page.locator(".player-stage")
    for _ in range(5):
        expect(stage.get_by_role("button", name="Skip")).to_be_visible()
        stage.get_by_role("button", name="Skip").click()
        stage.get_by_role("button", name="No time").click()

    expect(stage.get_by_role("heading", name="Nothing done this time")).to_be_visible()
    expect(stage.get_by_role("heading", name="Session complete")).to_have_count(0)
    expect(stage).to_contain_text("Nothing was kept")
    screenshot("player-nothing-done")
    assert page.evaluate(LOCAL_HISTORY) == []


# The sessions kept on this phone (db.js "history"), at whatever version db.js is at.
LOCAL_HISTORY = """() => new Promise((resolve, reject) => {
  const open = indexedDB.open("footing");
  open.onsuccess = () => {
    const read = open.result.transaction("history").objectStore("history").getAll();
    read.onsuccess = () => resolve(read.result);
    read.onerror = () => reject(read.error);
  };
})"""
