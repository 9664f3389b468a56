"""A runner with heel pain finds their condition, its routine and an exercise."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PIL import Image
from playwright.sync_api import Page, expect

from e2e import conftest
from e2e.conftest import PHONE, no_sideways_scroll


def test_home_to_condition_to_routine_to_exercise(app: str, page: Page, screenshot) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(app + "/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Foot pain after running?")
    screenshot("home")

    page.get_by_role("link", name=re.compile("^Plantar fasciitis")).first.click()
    expect(page).to_have_url(re.compile(r"/conditions/plantar-fasciitis/$"))
    expect(page.get_by_role("heading", name="Stop and get help if…")).to_be_visible()
    expect(page.get_by_text("See a sports medicine doctor", exact=True)).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot("condition")

    page.get_by_role("link", name=re.compile("calm the pain", re.I)).click()
    expect(page).to_have_url(re.compile(r"/routines/plantar-fasciitis-pain-management/$"))
    steps = page.locator(".step")
    expect(steps.first).to_contain_text("Plantar fascia stretch")
    assert steps.count() >= 4
    assert no_sideways_scroll(page)
    screenshot("routine")

    steps.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/exercises/plantar-fascia-stretch/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Plantar fascia stretch")
    expect(page.get_by_text("Dose", exact=True)).to_be_visible()
    assert no_sideways_scroll(page)
    screenshot("exercise")
    assert errors == []


def test_boosted_links_swap_the_page_without_a_full_reload(app: str, page: Page) -> None:
    page.goto(app + "/")
    page.evaluate("window.__still_here = true")

    page.get_by_role("navigation", name="Main").get_by_role("link", name="Routines").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Routines")
    assert page.evaluate("window.__still_here") is True
    expect(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Routines")
    ).to_have_attribute("aria-current", "page")


def test_the_goal_filter_swaps_only_the_list(app: str, page: Page) -> None:
    page.goto(app + "/exercises/")
    page.evaluate("window.__still_here = true")

    page.get_by_role("link", name="Cross-training").click()

    expect(page).to_have_url(re.compile(r"\?goal=cross-training$"))
    expect(page.locator("#exercise-list")).to_contain_text("Swimming")
    expect(page.locator("#exercise-list")).not_to_contain_text("Superman")
    assert page.evaluate("window.__still_here") is True


def test_pages_work_without_javascript(app: str, new_context) -> None:
    context = new_context(
        java_script_enabled=False, device_scale_factor=1, is_mobile=False, has_touch=False
    )
    page = context.new_page()
    page.goto(app + "/exercises/")

    page.get_by_role("link", name="Cross-training").click()

    expect(page.locator("#exercise-list")).to_contain_text("Swimming")
    context.close()


def test_the_tab_bar_sits_under_the_thumb_on_a_phone_and_in_the_header_when_wide(
    app: str, page: Page
) -> None:
    page.goto(app + "/routines/")
    tabs = page.get_by_role("navigation", name="Main")
    current = tabs.get_by_role("link", name="Routines")
    expect(current).to_have_attribute("aria-current", "page")

    phone = tabs.bounding_box()
    assert phone and phone["y"] + phone["height"] == 844  # fixed to the bottom edge

    page.set_viewport_size({"width": 1280, "height": 800})
    wide = tabs.bounding_box()
    header = page.locator(".topbar").bounding_box()
    assert wide and header and wide["y"] == 0 and wide["height"] <= header["height"]
    assert no_sideways_scroll(page)
    for link in ("Home", "Learn", "Check in", "Progress"):  # one line each, none wrapped
        box = tabs.get_by_role("link", name=link).bounding_box()
        assert box and box["height"] <= header["height"], link


@pytest.mark.parametrize("asked", [True, False])
def test_screens_are_photographed_when_asked(
    app: str, page: Page, screenshot, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, asked: bool
) -> None:
    """FOOTING_SCREENSHOTS=1 saves phone-sized PNGs to look at; a plain run saves none."""
    monkeypatch.setattr(conftest, "SCREENSHOTS", tmp_path / "screenshots")
    monkeypatch.setattr(conftest, "TAKE_SCREENSHOTS", asked)
    page.goto(app + "/")

    path = screenshot("home", full_page=True)

    assert path == tmp_path / "screenshots" / "home.png"
    assert path.exists() == asked
    if asked:
        with Image.open(path) as image:
            assert image.format == "PNG"
            assert image.width == PHONE["width"] * 2  # the phone's two pixels per point
            assert image.height > PHONE["height"] * 2  # the whole page, not just the screen
