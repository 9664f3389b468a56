"""The player in one thumb's reach: every control on screen at every step, on small phones
and at 200% text, and the player never scrolls (neither sideways nor down)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import photograph, two_frames
from e2e.test_player import start_playing

# Short foot and towel scrunches (reps, rests between sets), toe yoga, the high-load heel
# raise (each side), single-leg balance (a timed hold, each side), the plantar fascia stretch.
ROUTINE = "/routines/plantar-fasciitis-local-stabilization/play/"

# Every button and link of the player, with where it sits, if any part is off screen.
OFF_SCREEN = """() => {
  const out = [];
  for (const el of document.querySelectorAll('#player button, #player a')) {
    const r = el.getBoundingClientRect();
    if (!r.width || !r.height) continue;  // not shown on this screen
    if (r.top < 0 || r.left < 0 || r.bottom > innerHeight + 0.5 || r.right > innerWidth + 0.5) {
      const [x, y, x2, y2] = [r.left, r.top, r.right, r.bottom].map(Math.round);
      out.push(`${el.textContent.trim() || el.dataset.action}: ${x},${y} to ${x2},${y2}`);
    }
  }
  const page = document.documentElement;
  if (page.scrollWidth > innerWidth) out.push(`the page is ${page.scrollWidth} px wide`);
  if (page.scrollHeight > innerHeight) out.push(`the page is ${page.scrollHeight} px tall`);
  return out;
}"""
BIG_TEXT = "() => document.documentElement.style.setProperty('font-size', '200%', 'important')"

SIZES = [
    pytest.param(360, 640, False, id="360x640"),
    pytest.param(375, 667, False, id="375x667"),
    pytest.param(390, 844, False, id="390x844"),
    pytest.param(360, 640, True, id="360x640-200%-text"),
    pytest.param(390, 844, True, id="390x844-200%-text"),
]


@pytest.mark.parametrize(("width", "height", "big_text"), SIZES)
def test_every_player_control_is_on_screen_at_every_step(
    app: str, page: Page, width: int, height: int, big_text: bool
) -> None:
    page.set_viewport_size({"width": width, "height": height})
    page.clock.install()
    page.goto(app + ROUTINE)
    if big_text:
        page.evaluate(BIG_TEXT)
    stage = page.locator(".player-stage")
    name = f"player-layout-{width}x{height}{'-big' if big_text else ''}"
    problems: dict[str, list[str]] = {}

    def look(step: str) -> None:
        # Screens are drawn in one go; let layout settle before measuring.
        two_frames(page)
        if off := page.evaluate(OFF_SCREEN):
            problems[step] = off
        photograph(page, f"{name}-{step}")

    look("start")
    start_playing(page)

    # Exercise 1, reps: Pause, then a skip for pain.
    expect(stage.locator(".tap-count")).to_be_visible()
    look("reps")
    stage.get_by_role("button", name="Pause").click()
    expect(stage.get_by_role("heading", name="Paused")).to_be_visible()
    look("paused")
    stage.get_by_role("button", name="Carry on").click()
    stage.get_by_role("button", name="Skip").click()
    expect(stage.get_by_role("button", name="It hurt")).to_be_visible()
    look("skip")
    stage.get_by_role("button", name="It hurt").click()
    expect(stage.get_by_role("heading", name="Back off a little")).to_be_visible()
    look("hurt")
    stage.get_by_role("button", name="Carry on").click()

    # Exercise 2, reps with rests between the sets, then how it felt.
    expect(stage.get_by_role("heading", name="Towel scrunches")).to_be_visible()
    for set_number in range(1, 4):
        expect(stage.locator(".tap-count")).to_be_visible()
        stage.get_by_role("button", name="Done", exact=True).click()
        if set_number < 3:
            expect(stage.get_by_role("button", name="Skip rest")).to_be_visible()
            if set_number == 1:
                look("rest")
            stage.get_by_role("button", name="Skip rest").click()
    expect(stage.get_by_role("heading", name="How did that feel?")).to_be_visible()
    look("feedback")
    stage.get_by_role("button", name="7", exact=True).click()
    stage.get_by_role("button", name="About right").click()
    look("feedback-answered")
    stage.get_by_role("button", name="Next").click()

    # The rest: each one on screen once, then skipped; single-leg balance is a timed hold.
    for name in ("Toe yoga", "High-load heel raise", "Single-leg balance"):
        expect(stage.get_by_role("heading", name=name)).to_be_visible()
        if name == "Single-leg balance":
            expect(stage.locator(".timer")).to_be_visible()
        look(f"exercise-{name}")
        stage.get_by_role("button", name="Skip").click()
        stage.get_by_role("button", name="No time").click()
    expect(stage.get_by_role("heading", name="Plantar fascia stretch")).to_be_visible()
    expect(stage.locator(".timer")).to_be_visible()
    look("hold")
    stage.get_by_role("button", name="Skip").click()
    stage.get_by_role("button", name="No time").click()
    expect(stage.get_by_role("heading", name="Session complete")).to_be_visible()
    look("summary")

    assert problems == {}
