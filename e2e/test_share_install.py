"""Share a routine (the phone's share sheet, or the link copied), print its handout, and
install the app (the browser's offer, or the iPhone's Add to Home Screen steps)."""

from __future__ import annotations

from playwright.sync_api import Page, expect

from e2e.conftest import photograph

ROUTINE = "/routines/plantar-fasciitis-pain-management/"

SPY_ON_SHARE = """
window.__shared = [];
navigator.share = async (data) => { window.__shared.push(data); };
window.print = () => { window.__printed = (window.__printed || 0) + 1; };
"""


def test_share_uses_the_phones_share_sheet(app: str, page: Page) -> None:
    page.add_init_script(SPY_ON_SHARE)
    page.goto(app + ROUTINE)

    page.get_by_role("button", name="Share").click()

    shared = page.evaluate("window.__shared")
    assert shared == [{"title": "Plantar fasciitis: calm the pain", "url": app + ROUTINE}]


def test_without_a_share_sheet_the_link_is_copied(app: str, page: Page, context) -> None:
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=app)
    page.add_init_script("delete Navigator.prototype.share;")
    page.goto(app + ROUTINE)

    page.get_by_role("button", name="Share").click()

    expect(page.locator("[data-share-status]")).to_have_text(
        "Link copied: paste it in a message or an email."
    )
    assert page.evaluate("navigator.clipboard.readText()") == app + ROUTINE


def test_the_handout_prints_from_its_button(app: str, page: Page) -> None:
    page.add_init_script(SPY_ON_SHARE)
    page.goto(app + ROUTINE + "print/")

    page.get_by_role("button", name="Print").click()

    assert page.evaluate("window.__printed") == 1


OFFER_TO_INSTALL = """() => {
  const offer = new Event("beforeinstallprompt", { cancelable: true });
  offer.prompt = () => { window.__prompted = true; };
  offer.userChoice = Promise.resolve({ outcome: "accepted", platform: "web" });
  window.dispatchEvent(offer);
  return offer.defaultPrevented;
}"""


def test_install_when_the_browser_offers_it(app: str, page: Page, screenshot) -> None:
    page.goto(app + "/")
    card = page.locator(".install-card")
    expect(card).to_be_hidden()  # no offer yet, not an iPhone

    assert page.evaluate(OFFER_TO_INSTALL) is True  # kept for our own button
    expect(card.get_by_role("button", name="Install Footing")).to_be_visible()
    screenshot("install-offer")
    card.get_by_role("button", name="Install Footing").click()

    assert page.evaluate("window.__prompted") is True
    expect(card).to_be_hidden()


IPHONE_SAFARI = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/18.0 Mobile/15E148 Safari/604.1"
)


def test_an_iphone_in_safari_gets_the_add_to_home_screen_steps(app: str, new_context) -> None:
    context = new_context(user_agent=IPHONE_SAFARI, device_scale_factor=1, has_touch=False)
    page = context.new_page()
    page.goto(app + "/")
    card = page.locator(".install-card")
    expect(card).to_contain_text("Add to Home Screen")
    expect(card.get_by_role("button", name="Install Footing")).to_be_hidden()
    card.scroll_into_view_if_needed()
    photograph(page, "install-iphone")
