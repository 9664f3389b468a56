"""Paper: a routine printed from its page or as its handout shows every exercise and none
of the app around it, and the handout fits one or two sheets of A4 or Letter."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from library.models import Routine

CHROME = [".topbar", ".tabbar", ".save-offline", ".start-session", ".print-share", ".crumb"]


def visible(page: Page, selector: str) -> bool:
    return page.locator(selector).first.is_visible() if page.locator(selector).count() else False


def test_a_printed_routine_page_shows_every_exercise_and_no_app(app: str, page: Page) -> None:
    page.goto(app + "/routines/plantar-fasciitis-global-stabilization/")
    steps = page.locator(".step")
    count = steps.count()
    assert count == 7
    expect(page.locator(".tabbar")).to_be_visible()

    page.emulate_media(media="print")

    assert [c for c in CHROME if visible(page, c)] == []
    for index in range(count):
        expect(steps.nth(index)).to_be_visible()
        expect(steps.nth(index).locator("img")).to_be_visible()


def test_the_handout_shows_every_exercise_and_the_pain_rule(
    app: str, page: Page, screenshot
) -> None:
    page.goto(app + "/routines/metatarsalgia-offload-and-strength/")
    page.get_by_role("link", name="Print a handout").click()
    title = page.get_by_role("heading", level=1)
    expect(title).to_have_text("Metatarsalgia: offload and strengthen")
    screenshot("handout-screen")

    page.emulate_media(media="print")
    page.set_viewport_size({"width": 703, "height": 1000})  # A4 less the page margins

    items = page.locator(".handout-item")
    assert items.count() == 7
    for index in range(items.count()):
        expect(items.nth(index)).to_be_visible()
        expect(items.nth(index).locator(".handout-dose")).not_to_be_empty()
        expect(items.nth(index).locator("img")).to_be_visible()
    expect(page.locator(".handout-rules")).to_contain_text("may reach 5 out of 10")
    assert [c for c in [*CHROME, ".handout-screen-only", ".footer"] if visible(page, c)] == []
    screenshot("handout-print", full_page=True)


@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_every_routines_handout_fits_one_or_two_sheets(app: str, page: Page, paper: str) -> None:
    pages = {}
    for slug in Routine.objects.values_list("slug", flat=True):
        page.goto(f"{app}/routines/{slug}/print/")
        pdf = page.pdf(format=paper)
        pages[slug] = len(re.findall(rb"/Type\s*/Page[^s]", pdf))

    assert pages and all(1 <= n <= 2 for n in pages.values()), pages
