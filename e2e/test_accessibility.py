"""Every page, checked by axe-core at phone size, at 320 px and at 200% zoom; the main
journeys by keyboard alone."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.contrib.auth import get_user_model
from django.test import Client
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import no_sideways_scroll

ANONYMOUS_PAGES = [
    "/",
    "/conditions/",
    "/conditions/plantar-fasciitis/",
    "/conditions/posterior-compartment-syndrome/",
    "/exercises/",
    "/exercises/high-load-heel-raise/",
    "/routines/",
    "/routines/plantar-fasciitis-pain-management/",
    "/routines/plantar-fasciitis-pain-management/play/",
    "/self-check/",
    "/offline/",
    "/history/",
    "/accounts/login/",
    "/accounts/signup/",
    "/accounts/password-reset/",
    "/no-such-page/",
]
MEMBER_PAGES = ["/checkin/", "/progress/", "/history/", "/accounts/profile/"]
axe = Axe()
# The focused element's text if it is a link ("" otherwise: after a boosted navigation the
# focus is on <main>, whose text contains the whole page).
FOCUSED_LINK = (
    "(document.activeElement.tagName === 'A' ? document.activeElement.textContent.trim() : '')"
)


def log_in(context: BrowserContext, app: str) -> None:
    user = get_user_model().objects.create_user("axe-runner", password="a-long-password-1")
    client = Client()
    client.force_login(user)
    context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": app}]
    )


def violations(page: Page) -> list[str]:
    results = axe.run(page)
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in results.response["violations"]
    ]


def check_page(page: Page, url: str) -> list[str]:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    problems = [f"{url} {v}" for v in violations(page)]
    page.set_viewport_size({"width": 320, "height": 700})
    if not no_sideways_scroll(page):
        problems.append(f"{url} scrolls sideways at 320 px")
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("document.documentElement.style.zoom = '2'")  # CSSOM: allowed by the CSP
    if page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth * 2 + 1"
    ):
        problems.append(f"{url} scrolls sideways at 200% zoom")
    return problems


def test_anonymous_pages_have_no_axe_violations(app: str, page: Page) -> None:
    problems = [p for url in ANONYMOUS_PAGES for p in check_page(page, app + url)]
    assert problems == []


def test_member_pages_have_no_axe_violations(app: str, page: Page, context: BrowserContext) -> None:
    log_in(context, app)
    problems = [p for url in MEMBER_PAGES for p in check_page(page, app + url)]
    assert problems == []


@pytest.mark.parametrize("width", [320, 390])
def test_the_player_screens_fit_a_small_phone(app: str, page: Page, width: int) -> None:
    page.set_viewport_size({"width": width, "height": 640})
    page.goto(app + "/routines/plantar-fasciitis-local-stabilization/play/")
    page.get_by_role("button", name="Start", exact=True).click()

    assert no_sideways_scroll(page)
    assert violations(page) == []


def test_keyboard_only_from_home_to_an_exercise(app: str, page: Page) -> None:
    page.goto(app + "/")
    page.keyboard.press("Tab")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).to_be_focused()
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none", "focus must be visible"

    page.keyboard.press("Enter")
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_LINK + ".startsWith('Plantar fasciitis')"):
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plantar fasciitis")

    for _ in range(60):
        page.keyboard.press("Tab")
        if page.evaluate(FOCUSED_LINK + ".includes('calm the pain')"):
            break
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Plantar fasciitis: calm the pain")
