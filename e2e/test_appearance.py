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
            expect(page.locator(".player-stage .tap-count")).to_be_visible()
        luminance = page.evaluate(BACKGROUND_LUMINANCE)
        if scheme == "dark":
            assert luminance < 0.02, f"{url} is not dark ({luminance:.3f})"
        else:
            assert luminance > 0.8, f"{url} is not light ({luminance:.3f})"
        assert page.evaluate("getComputedStyle(document.documentElement).colorScheme") == scheme
        screenshot(f"{scheme}-{name}")


def choose(page: Page, label: str) -> None:
    """The Appearance choice at the foot of the page, scrolled to as a person would."""
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    page.locator(".appearance").get_by_label(label).check()


def test_the_appearance_setting_overrides_the_phone_and_is_kept(
    app: str, page: Page, screenshot
) -> None:
    page.emulate_media(color_scheme="light")
    page.goto(app + "/")
    appearance = page.locator(".appearance")
    expect(appearance.get_by_label("Automatic")).to_be_checked()

    choose(page, "Dark")
    assert page.evaluate(BACKGROUND_LUMINANCE) < 0.02
    screenshot("appearance-dark-on-a-light-phone")
    # Kept on this phone, applied before the first paint of every page (theme.js).
    page.goto(app + "/routines/")
    assert page.evaluate(BACKGROUND_LUMINANCE) < 0.02
    expect(page.locator(".appearance").get_by_label("Dark")).to_be_checked()
    theme = page.evaluate(
        "[...document.querySelectorAll('meta[name=theme-color]')].map((m) => m.content)"
    )
    assert theme == ["#12302f", "#12302f"]

    page.emulate_media(color_scheme="dark")
    choose(page, "Light")
    assert page.evaluate(BACKGROUND_LUMINANCE) > 0.8
    page.reload()
    assert page.evaluate(BACKGROUND_LUMINANCE) > 0.8

    choose(page, "Automatic")
    assert page.evaluate(BACKGROUND_LUMINANCE) < 0.02  # the phone is dark
    page.reload()
    assert page.evaluate(BACKGROUND_LUMINANCE) < 0.02
