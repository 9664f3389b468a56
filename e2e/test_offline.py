"""A runner installs Footing, saves a routine, and uses it with the network gone; app and
routine updates arrive without breaking anything."""

from __future__ import annotations

import json
import re
import shutil
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from playwright.sync_api import BrowserContext, Page, expect

from e2e.conftest import no_sideways_scroll, poll_page, wait_for_control, worker_registration
from library.offline import manifest

# Every journey here is the worker's: installing, offline, its caches, updates, push.
pytestmark = pytest.mark.worker

ROUTINE = "plantar-fasciitis-pain-management"
TITLE = "Plantar fasciitis: calm the pain"


# Pages visited online are kept too (network first, then cache); forget them so that
# what works offline below is only what "Save for offline" stored.
FORGET_VISITED_PAGES = """async () => {
  for (const name of await caches.keys()) {
    if (name.startsWith("footing-pages-")) await caches.delete(name);
  }
}"""

# Ask the browser to look for a new worker now; whether one is installing or waiting.
CHECK_FOR_APP_UPDATE = """async () => {
  const registration = await navigator.serviceWorker.getRegistration();
  await registration.update();
  return Boolean(registration.installing || registration.waiting);
}"""
WORKER_VERSION = """() => new Promise((resolve) => {
  const channel = new MessageChannel();
  channel.port1.onmessage = (event) => resolve(event.data);
  navigator.serviceWorker.controller.postMessage({ type: "VERSION" }, [channel.port2]);
})"""

# Every picture on the page, lazy ones included, decoded from what the phone holds.
IMAGES_LOADED = """async () => {
  const images = [...document.querySelectorAll("main img")];
  for (const img of images) {
    img.loading = "eager";
    try { await img.decode(); } catch { return -1; }
    if (!img.naturalWidth) return -1;
  }
  return images.length;
}"""


def open_controlled(page: Page, url: str) -> None:
    page.goto(url)
    wait_for_control(page)


def save_routine(page: Page) -> None:
    page.get_by_role("button", name="Save for offline").click()
    expect(page.locator("[data-save-status]")).to_contain_text("Saved for offline", timeout=15_000)


def republish_with_longer_stretches(tmp_path: Path) -> None:
    """The clinic edits the routine's content file and publishes it (version 2)."""
    content = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, content)
    routine_file = content / "routines" / f"{ROUTINE}.md"
    text = routine_file.read_text()
    text = text.replace("changelog: First version.", "changelog: Longer calf stretches.")
    text = text.replace(
        "  - exercise: towel-calf-stretch\n",
        "  - exercise: towel-calf-stretch\n    hold_seconds: 45\n",
    )
    routine_file.write_text(text)
    call_command("load_content", path=content, stdout=StringIO())


def test_footing_is_installable(app: str, page: Page) -> None:
    open_controlled(page, app + "/")
    cdp = page.context.new_cdp_session(page)

    errors = cdp.send("Page.getInstallabilityErrors")["installabilityErrors"]

    assert [e for e in errors if e["errorId"] != "in-incognito"] == []
    manifest = cdp.send("Page.getAppManifest")
    assert manifest["errors"] == []


# What the first install's worker is fetching for its shell (its own requests, not the page's).
SHELL_WAITS_SEEN = """() => new Promise((resolve) => {
  window.shellAsked = false;
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "SHELL_WAITS") window.shellAsked = true;
  });
  resolve();
})"""


def test_the_first_install_fetches_its_shell_only_once_the_page_has_settled(
    app: str, page: Page
) -> None:
    """A first visit registers the worker at once, but its ~80-file shell waits until the
    page has loaded and started its parts: it never competes with the page's first paint."""
    held: list = []
    released = False

    def hold(route) -> None:  # the page's part waits; the worker's own copy later does not
        if released:
            route.continue_()
        else:
            held.append(route)

    page.context.route("**/static/js/saved-list.*.js", hold)
    shell: list[str] = []
    page.context.on("request", lambda r: r.service_worker and shell.append(r.url))
    page.add_init_script(script=f"({SHELL_WAITS_SEEN})()")
    page.goto(app + "/")
    expect(page.locator("[data-module~='saved-list']")).to_have_count(1)

    # The worker is installing and has asked the page; a part of the page has not started.
    poll_page(page, lambda: page.evaluate("() => window.shellAsked"), "the worker asks the page")
    poll_page(page, lambda: held, "the page asks for its saved-list module")
    assert page.evaluate("() => document.readyState") == "complete"
    # (The worker's own module imports are scripts; its shell holds pages and stylesheets.)
    fetched = [url for url in shell if not url.endswith(".js")]
    assert fetched == [], "the worker fetched its shell before the page had started"

    released = True
    for route in held:
        route.continue_()
    wait_for_control(page)
    assert {app + "/", app + "/offline/", app + "/self-check/"} <= set(shell)
    assert any(re.search(r"/static/css/app\.[0-9a-f]{12}\.css$", url) for url in shell)


def test_a_saved_routine_works_with_the_network_gone(
    app: str, page: Page, context: BrowserContext, screenshot
) -> None:
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    open_controlled(page, f"{app}/routines/{ROUTINE}/")
    exercises = page.locator(".step-title").all_inner_texts()
    assert len(exercises) >= 4
    expect(page.get_by_role("button", name="Save for offline")).to_be_visible()
    screenshot("offline-save-button")

    save_routine(page)
    manifest = page.request.get(f"{app}/api/v1/routines/{ROUTINE}/offline-manifest").json()
    [record] = page.evaluate("() => window.footingOffline.savedList()")
    assert record["bytes"] == manifest["total_bytes"]
    kilobytes = int(manifest["total_bytes"] / 1024 + 0.5)
    expect(page.locator("[data-save-status]")).to_contain_text(
        f"Saved for offline · {kilobytes} KB"
    )
    expect(page.get_by_role("button", name="Save for offline")).to_be_hidden()
    assert no_sideways_scroll(page)
    screenshot("offline-saved")

    page.evaluate(FORGET_VISITED_PAGES)
    context.set_offline(True)

    # The routine opens from the phone, and so does every exercise, by tapping through.
    page.goto(f"{app}/routines/{ROUTINE}/")
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("You're offline — saved routines still work")).to_be_visible()
    assert page.evaluate(IMAGES_LOADED) == len(exercises), "every thumbnail opens offline"
    screenshot("offline-routine")
    for position, name in enumerate(exercises):
        if position:
            page.get_by_role("link", name=re.compile(re.escape(TITLE))).first.click()
            expect(page).to_have_url(re.compile(rf"/routines/{ROUTINE}/$"))
        page.locator(".step-link").nth(position).click()
        expect(page.get_by_role("heading", level=1)).to_have_text(name)
        expect(page.get_by_text("Dose", exact=True)).to_be_visible()
        assert page.evaluate(IMAGES_LOADED) >= 1, f"the pictures of {name} open offline"
        # Offline, links to pages that are not on the phone say so.
        expect(page.locator('main a[href="/exercises/"]')).to_have_attribute("data-unsaved", "")
        expect(page.locator(f'main a[href="/routines/{ROUTINE}/"]').first).not_to_have_attribute(
            "data-unsaved", ""
        )
    screenshot("offline-exercise")

    # Back goes back, offline too.
    page.go_back()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.get_by_text("You're offline — saved routines still work")).to_be_visible()
    assert errors == []


def test_an_unsaved_page_offline_lists_what_is_saved_and_remove_works(
    app: str, page: Page, context: BrowserContext, screenshot
) -> None:
    open_controlled(page, f"{app}/routines/{ROUTINE}/")
    save_routine(page)
    page.evaluate(FORGET_VISITED_PAGES)
    context.set_offline(True)

    # Tapping a link to a page that is not saved...
    page.get_by_role("link", name="All routines").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("My routines")
    # ...and opening one by address both give the offline page with the saved routines.
    page.goto(f"{app}/conditions/stress-fracture/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My routines")
    expect(page.get_by_text("This page isn't saved on this phone.")).to_be_visible()
    # The tab of the page asked for is lit, not Home.
    tabs = page.get_by_role("navigation", name="Main")
    expect(tabs.locator('[aria-current="page"]')).to_have_text("Learn")
    saved = page.locator(".saved-item")
    expect(saved).to_have_count(1)
    expect(saved).to_contain_text(TITLE)
    expect(saved).to_contain_text(re.compile(r"\d+ exercises · \d+ KB · saved \d+ \w+"))
    expect(page.locator("[data-storage-estimate]")).to_contain_text("Saved routines take")
    expect(page.locator('main a[href="/routines/"]')).to_have_attribute("data-unsaved", "")
    assert no_sideways_scroll(page)
    screenshot("offline-fallback")

    page.get_by_role("button", name=f"Remove {TITLE}").click()

    expect(saved).to_have_count(0)
    expect(page.get_by_text("Nothing saved yet.")).to_be_visible()
    page.goto(f"{app}/routines/{ROUTINE}/")
    expect(page.get_by_role("heading", level=1)).to_have_text("My routines")


def test_saved_routines_are_one_tap_away_on_home_and_the_routines_tab(
    app: str, page: Page, screenshot
) -> None:
    open_controlled(page, f"{app}/routines/{ROUTINE}/")
    save_routine(page)

    for address, name in (("/", "home"), ("/routines/", "routines")):
        page.goto(app + address)
        block = page.locator(".saved-compact")
        expect(block.get_by_role("heading", name="Saved on this phone")).to_be_visible()
        expect(block.locator(".saved-item")).to_have_count(1)
        expect(block).to_contain_text(TITLE)
        expect(block).to_contain_text(re.compile(r"\d+ exercises · \d+ KB"))
        expect(block.get_by_role("button")).to_have_count(0)  # Remove is on My routines
        assert no_sideways_scroll(page)
        block.scroll_into_view_if_needed()
        screenshot(f"saved-on-{name}")
        page.emulate_media(color_scheme="dark")
        screenshot(f"saved-on-{name}-dark")
        page.emulate_media(color_scheme="light")
    expect(page.get_by_role("heading", name="All routines")).to_be_visible()

    page.locator(".saved-compact").get_by_role("link", name=re.compile(TITLE)).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)


def test_a_new_version_waits_for_a_tap_and_never_interrupts_a_session(
    app: str, page: Page, screenshot, monkeypatch: pytest.MonkeyPatch
) -> None:
    open_controlled(page, app + "/")
    old_version = page.evaluate(WORKER_VERSION)
    update_bar = page.locator("[data-update-bar]")
    expect(update_bar).to_be_hidden()

    # A deploy: new app code (a stylesheet or a template changed).
    monkeypatch.setattr(manifest, "_static_fingerprint", lambda: "a-new-deploy")
    page.reload()

    expect(update_bar).to_be_visible(timeout=15_000)
    expect(update_bar).to_contain_text("A new version of Footing is ready")
    assert page.evaluate(WORKER_VERSION) == old_version  # still the old one: it waits
    screenshot("offline-update-prompt")

    # The session player never offers it...
    page.goto(f"{app}/routines/{ROUTINE}/play/")
    expect(page.locator("#player")).to_be_visible()
    # The page has found the waiting worker, and still does not offer it.
    expect(update_bar).to_have_attribute("data-update-ready", "")
    expect(update_bar).to_be_hidden()
    page.goto(app + "/")
    expect(update_bar).to_be_visible(timeout=15_000)
    # ...nor does any page while a session marks itself; the offer returns when it ends.
    page.evaluate(
        """() => { const m = document.createElement("div");
        m.id = "session"; m.dataset.sessionActive = ""; document.body.append(m); }"""
    )
    expect(update_bar).to_be_hidden()
    page.evaluate("() => document.getElementById('session').remove()")
    expect(update_bar).to_be_visible()

    page.get_by_role("button", name="Update").click()

    page.wait_for_load_state()
    expect(update_bar).to_be_hidden()
    wait_for_control(page)
    new_version = page.evaluate(WORKER_VERSION)
    assert new_version != old_version
    caches = page.evaluate("() => caches.keys()")
    assert f"footing-shell-{new_version}" in caches
    assert f"footing-shell-{old_version}" not in caches


def test_a_republished_routine_refreshes_the_saved_copy_and_says_what_changed(
    app: str, page: Page, context: BrowserContext, tmp_path: Path, screenshot
) -> None:
    open_controlled(page, f"{app}/routines/{ROUTINE}/")
    save_routine(page)

    republish_with_longer_stretches(tmp_path)

    page.reload()  # the next check: every app start asks /api/v1/sync

    notice = page.locator(".routine-notice")
    expect(notice).to_contain_text(
        "Your routine was updated: Longer calf stretches.", timeout=15_000
    )
    expect(notice).to_contain_text(f"{TITLE}, version 2")
    screenshot("offline-routine-updated")
    # A content publish is not new app code: the same worker, and no Update bar.
    assert page.evaluate(CHECK_FOR_APP_UPDATE) is False
    expect(page.locator("[data-update-bar]")).to_be_hidden()
    saved = page.evaluate("() => window.footingOffline.savedList()")
    assert [(r["slug"], r["version"]) for r in saved] == [(ROUTINE, 2)]

    page.evaluate(FORGET_VISITED_PAGES)
    context.set_offline(True)
    page.goto(f"{app}/routines/{ROUTINE}/")
    expect(page.locator(".version")).to_contain_text("Version 2")
    expect(page.locator(".step").nth(1)).to_contain_text("45 s hold")
    # The saved copy of the player's data was refreshed too (not served from a stale cache).
    saved_data = page.evaluate(
        f"""async () => {{
          const cache = await caches.open("footing-saved-{ROUTINE}");
          return (await cache.match("/api/v1/routines/{ROUTINE}")).json();
        }}"""
    )
    assert saved_data["version"] == 2

    page.get_by_role("button", name="OK").click()
    expect(notice).to_have_count(0)
    page.reload()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)
    expect(page.locator(".routine-notice")).to_have_count(0)


@pytest.mark.notifications
def test_a_push_from_the_clinic_shows_a_notification_and_refreshes_saved_routines(
    app: str, page: Page, context: BrowserContext, tmp_path: Path
) -> None:
    context.grant_permissions(["notifications"], origin=app)
    open_controlled(page, f"{app}/routines/{ROUTINE}/")
    save_routine(page)
    republish_with_longer_stretches(tmp_path)
    cdp, registration = worker_registration(page)

    message = {
        "title": "Your routine was updated",
        "body": f"{TITLE} v2: Longer calf stretches.",
        "url": f"/routines/{ROUTINE}/",
        "tag": f"routine-{ROUTINE}",
    }
    cdp.send(
        "ServiceWorker.deliverPushMessage",
        {
            "origin": app,
            "registrationId": registration["registrationId"],
            "data": json.dumps(message),
        },
    )

    # No reload: the open page hears from the worker and checks its saved routines at once.
    expect(page.locator(".routine-notice")).to_contain_text(
        "Your routine was updated: Longer calf stretches."
    )
    titles = page.evaluate(
        "async () => (await (await navigator.serviceWorker.ready).getNotifications())"
        ".map((n) => n.title)"
    )
    assert titles == ["Your routine was updated"]


def test_offline_the_content_api_and_htmx_partials_answer_from_the_cache_and_vary_holds(
    app: str, page: Page, context: BrowserContext
) -> None:
    open_controlled(page, f"{app}/routines/{ROUTINE}/")
    save_routine(page)
    page.goto(app + "/exercises/")
    page.get_by_role("link", name="Cross-training").click()  # an htmx partial, fetched online
    expect(page.locator("#exercise-list")).to_contain_text("Swimming")
    # htmx ignores a click while the last swap is still settling.
    expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
    page.get_by_role("link", name="All", exact=True).click()
    expect(page.locator("#exercise-list")).to_contain_text("Superman")
    page.evaluate(FORGET_VISITED_PAGES)
    context.set_offline(True)

    # The saved routine's data, for the player: from the phone.
    routine = page.evaluate(f"async () => (await fetch('/api/v1/routines/{ROUTINE}')).json()")
    assert routine["slug"] == ROUTINE
    # The same filter again: the partial kept for that htmx request swaps in.
    page.get_by_role("link", name="Cross-training").click()
    expect(page.locator("#exercise-list")).to_contain_text("Swimming")
    expect(page.locator("#exercise-list")).not_to_contain_text("Superman")
    # But a full page at that address was never fetched, and the partial must not stand in
    # for it (Vary: HX-Request): the offline page does.
    page.goto(app + "/exercises/?goal=cross-training")
    expect(page.get_by_role("heading", level=1)).to_have_text("My routines")
