"""Every page, checked by axe-core at phone size in the light and dark schemes, at 320 px,
at 200% text and at 200% zoom; the main journeys by keyboard alone."""

from __future__ import annotations

import json
import re
import uuid
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.conf import settings
from django.contrib.auth import get_user_model
from django.test import Client
from django.utils import timezone
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import no_sideways_scroll
from selfcheck.selectors import selfcheck_rules
from selfcheck.services import selfcheck_result_keep
from tests.selfcheck.profiles import PROFILES, walk

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
MEMBER_PAGES = ["/checkin/", "/progress/", "/history/", "/accounts/profile/", "/accounts/welcome/"]
axe = Axe()
AXE_OPTIONS = {"resultTypes": ["violations"]}  # what Axe.run asks axe-core for
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


# axe-core's rules that read colours (those tagged cat.color and on by default). The dark
# scheme changes nothing else: dark.css only gives app.css's colour tokens other values
# (test_the_dark_scheme_changes_only_colours), so the same page in the dark has the same
# structure, names, layout and sizes, and only these can find anything new there.
COLOUR_RULES = ("color-contrast", "link-in-text-block")


def violations(page: Page, *, only: tuple[str, ...] = ()) -> list[str]:
    """axe-core's violations on the page as it is now (`only` these rules, when given: a
    state axe has just checked, changed only in what they read). axe (570 KB of script)
    is put into each document once: `Axe.run` sends it again on every call."""
    if not page.evaluate("() => typeof window.axe?.run === 'function'"):
        page.evaluate(axe.axe_script)
    options = (
        {**AXE_OPTIONS, "runOnly": {"type": "rule", "values": list(only)}} if only else AXE_OPTIONS
    )
    response = page.evaluate("(options) => axe.run(options)", options)
    return [
        f"{v['id']}: {v['help']} ({', '.join(n['target'][0] for n in v['nodes'][:3])})"
        for v in response["violations"]
    ]


# Tab labels that stick out of their tab (they would run into the next one); a label the
# bar has hidden for icons (large text) is 1 px and never sticks out.
COLLIDING_TABS = """() => [...document.querySelectorAll('.tabbar a')].filter((tab) => {
  const label = tab.querySelector('.tab-label');
  if (!label) return false;
  const [t, l] = [tab.getBoundingClientRect(), label.getBoundingClientRect()];
  return l.width > 1 && (l.left < t.left - 0.5 || l.right > t.right + 0.5);
}).map((tab) => tab.textContent.trim())"""
BIG_TEXT = "() => document.documentElement.style.setProperty('font-size', '200%', 'important')"
# The innermost elements reaching past the right edge, not counting what scrolls inside a
# box of its own (a wide table): what to fix when a page is too wide.
STICKING_OUT = """(width) => {
  const clipped = (e) => {
    for (let p = e.parentElement; p && p !== document.body; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== "visible") return true;
    }
    return false;
  };
  return [...document.querySelectorAll("main *, header *")]
    .filter((e) => e.getBoundingClientRect().right > width + 0.5)
    .filter((e) => !e.querySelector("*") && !clipped(e))
    .slice(0, 3)
    .map((e) => `${e.tagName.toLowerCase()}.${e.className} "${e.textContent.trim().slice(0, 30)}"`);
}"""


def sideways(page: Page, width: int) -> list[str]:
    """What makes the page wider than the screen, or tab labels collide."""
    problems = []
    if not no_sideways_scroll(page):
        problems.append(f"scrolls sideways ({page.evaluate(STICKING_OUT, width)})")
    if tabs := page.evaluate(COLLIDING_TABS):
        problems.append(f"tab labels run into each other: {tabs}")
    return [f"{p} at {width} px" for p in problems]


def check_page(page: Page, url: str) -> list[str]:
    page.set_viewport_size({"width": 390, "height": 844})
    page.goto(url)
    problems = [f"{url} {v}" for v in violations(page)]
    # The dark scheme (dark.css, following the phone's setting): its colours, checked again.
    page.emulate_media(color_scheme="dark")
    problems += [f"{url} {v} in the dark scheme" for v in violations(page, only=COLOUR_RULES)]
    page.emulate_media(color_scheme="light")
    page.set_viewport_size({"width": 320, "height": 700})
    problems += [f"{url} {p}" for p in sideways(page, 320)]
    # 200% text, as a person's own text size setting makes it (rem grows, px does not).
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate(BIG_TEXT)
    problems += [f"{url} {p} and 200% text" for p in sideways(page, 390)]
    page.set_viewport_size({"width": 320, "height": 700})
    problems += [f"{url} {p} and 200% text" for p in sideways(page, 320)]
    page.evaluate("document.documentElement.style.removeProperty('font-size')")
    page.set_viewport_size({"width": 390, "height": 844})
    page.evaluate("document.documentElement.style.zoom = '2'")  # CSSOM: allowed by the CSP
    if page.evaluate(
        "document.documentElement.scrollWidth > document.documentElement.clientWidth * 2 + 1"
    ):
        problems.append(f"{url} scrolls sideways at 200% zoom")
    return problems


def test_the_dark_scheme_changes_only_colours() -> None:
    """What lets the dark scheme's axe run check only COLOUR_RULES: dark.css gives colour
    tokens of app.css other colours, sets `color-scheme` and dims pictures, nothing more."""
    css = Path(settings.BASE_DIR) / "static" / "css"
    dark = re.sub(r"/\*.*?\*/", "", (css / "dark.css").read_text(), flags=re.S)
    app_tokens = set(re.findall(r"(--[\w-]+)\s*:", (css / "app.css").read_text()))
    declarations = re.findall(r"([\w-]+)\s*:\s*([^;{}]+)", re.sub(r"^[^{]*\{", "{", dark))
    assert "@" not in dark and len(declarations) > 10
    for name, value in declarations:
        if name.startswith("--"):
            assert name in app_tokens, f"dark.css makes a new token {name}"
            assert re.search(r"#[0-9a-f]{3,8}\b|rgba?\(", value), f"{name}: {value} is no colour"
        else:
            assert name in {"color-scheme", "filter"}, f"dark.css sets {name}"


def test_anonymous_pages_have_no_axe_violations(app: str, page: Page) -> None:
    problems = [p for url in ANONYMOUS_PAGES for p in check_page(page, app + url)]
    assert problems == []
    # The check can fail, with axe already in the document: a page without its language.
    page.evaluate("document.documentElement.removeAttribute('lang')")
    assert [v for v in violations(page, only=("html-has-lang",)) if v.startswith("html-has-lang:")]
    # ...and so can the dark scheme's: text as dark as the dark background.
    page.emulate_media(color_scheme="dark")
    page.evaluate("document.body.style.color = 'rgb(20, 28, 30)'")  # CSSOM: allowed by the CSP
    assert [v for v in violations(page, only=COLOUR_RULES) if v.startswith("color-contrast:")]


def test_member_pages_have_no_axe_violations(app: str, page: Page, context: BrowserContext) -> None:
    log_in(context, app)
    problems = [p for url in MEMBER_PAGES for p in check_page(page, app + url)]
    assert problems == []


def test_the_kept_self_check_reads_well_everywhere(
    app: str, page: Page, context: BrowserContext, screenshot
) -> None:
    """The card on home and progress, and the welcome's offer: axe in light and dark, no
    sideways scroll at 320 px or 200% text; screenshots at 375×667, dark and 200%."""
    log_in(context, app)
    runner = get_user_model().objects.get(username="axe-runner")
    answers = walk(selfcheck_rules(), PROFILES[0].symptoms)
    selfcheck_result_keep(
        user=runner, client_id=uuid.uuid4(), answers=answers, taken_at=timezone.now()
    )
    problems = [p for url in ["/", "/progress/"] for p in check_page(page, app + url)]
    assert problems == []

    page.set_viewport_size({"width": 375, "height": 667})
    page.goto(app + "/")
    expect(page.locator(".selfcheck-last")).to_contain_text("it pointed to Plantar fasciitis.")
    page.locator(".selfcheck-last").scroll_into_view_if_needed()
    screenshot("home-selfcheck-375")
    page.emulate_media(color_scheme="dark")
    screenshot("home-selfcheck-dark")
    page.emulate_media(color_scheme="light")

    said = {"answers": answers, "pointed_to": "Plantar fasciitis", "urgency": ""}
    kept = {"client_id": str(uuid.uuid4()), "taken_at": timezone.now().isoformat(), **said}
    page.evaluate("(kept) => localStorage.setItem('footing-selfcheck', kept)", json.dumps(kept))
    page.goto(app + "/accounts/welcome/")
    offer = page.locator(".keep-selfcheck")
    expect(offer).to_be_visible()
    assert violations(page) == []
    page.evaluate(BIG_TEXT)
    assert sideways(page, 375) == []
    screenshot("welcome-selfcheck-200")
    page.emulate_media(color_scheme="dark")
    assert violations(page) == []
    screenshot("welcome-selfcheck-dark")


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
