"""Dark mode: the pages follow the phone's light or dark setting (axe checks contrast in
both, in test_accessibility.py); screenshots of the main screens in each, to look at."""

from __future__ import annotations

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from e2e.test_accessibility import log_in

# The luminance of the page's background (0 black .. 1 white), from its computed colour.
BACKGROUND_LUMINANCE = """() => {
  const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number);
  const lin = (c) => (c /= 255) <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4;
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}"""
SCREENS = {
    "home": "/",
    "routine": "/routines/plantar-fasciitis-pain-management/",
    "player": "/routines/plantar-fasciitis-local-stabilization/play/",
    "checkin": "/checkin/",
    "progress": "/progress/",
}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_pages_follow_the_phones_colour_scheme(
    app: str, page: Page, context: BrowserContext, screenshot, scheme: str
) -> None:
    log_in(context, app)
    page.emulate_media(color_scheme=scheme)
    for name, url in SCREENS.items():
        page.goto(app + url)
        if name == "player":
            page.get_by_role("button", name="Start", exact=True).click()
            expect(page.locator(".player-stage .timer")).to_be_visible()
        luminance = page.evaluate(BACKGROUND_LUMINANCE)
        if scheme == "dark":
            assert luminance < 0.02, f"{url} is not dark ({luminance:.3f})"
        else:
            assert luminance > 0.8, f"{url} is not light ({luminance:.3f})"
        assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == scheme
        screenshot(f"{scheme}-{name}")
