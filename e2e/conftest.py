"""Journeys in a real Chromium at phone size against a live server with the clinic's content.

Playwright's sync API runs an event loop in this thread; Django's ORM calls from the
test body (loading content, checking rows) are safe here because nothing else runs.
"""

from __future__ import annotations

import os
import weakref
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.cache import caches
from playwright.sync_api import (
    Browser,
    BrowserContext,
    CDPSession,
    Locator,
    Page,
    Playwright,
    expect,
)

from notifications import endpoints
from tests.content_snapshot import ContentSnapshot
from tests.waiting import poll

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

PHONE = {"width": 390, "height": 844}
# CI has two cores shared by the server, the browser and the tests: give assertions room
# (the default 5 s is tight when a benchmark or a second suite runs beside them).
expect.set_options(timeout=15_000)
SCREENSHOTS = Path(settings.BASE_DIR) / "build" / "screenshots"
# Photos of the screens, to look at: taken when FOOTING_SCREENSHOTS=1. A plain run skips
# only the photographing (about 180 PNGs of phone pages at twice the pixels each run, a
# CPU-second or so apiece); every wait and assertion around a photo runs either way.
TAKE_SCREENSHOTS = os.environ.get("FOOTING_SCREENSHOTS") == "1"
# Resolves to whether the page is controlled once the worker is active (a short grace for
# claim()), or fails with the state the worker reached: never hangs the run.
_CONTROL = """async () => {
  const deadline = Date.now() + 30000;
  let registration;
  for (;;) {
    registration = await navigator.serviceWorker.getRegistration();
    if (registration?.active?.state === "activated") break;
    if (Date.now() > deadline) {
      const states = [registration?.installing, registration?.waiting, registration?.active];
      throw new Error(`No active worker after 30 s: ${states.map((w) => w?.state ?? "none")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  for (const stop = Date.now() + 2000; Date.now() < stop; ) {
    if (navigator.serviceWorker.controller) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Boolean(navigator.serviceWorker.controller);
}"""


def wait_for_control(page: Page) -> None:
    """Wait until the service worker controls the page.

    A page still loading when a new worker activated and claimed its clients stays
    uncontrolled (claim() takes only pages that had loaded), and so would its boosted
    clicks; a person's next visit is controlled, so reload once, as that visit.
    """
    _refuse_without_a_worker(page.context, "waits for the service worker")
    if not page.evaluate(_CONTROL):
        page.reload()
        assert page.evaluate(_CONTROL), "the worker did not control the reloaded page"
    wait_for_page_modules(page)


def wait_for_page_modules(page: Page) -> None:
    """Wait until every page part has started (app.js marks it data-ready): parts start
    after the page has loaded, and a tap on one before then is held until it has."""
    expect(page.locator("[data-module]:not([data-ready])")).to_have_count(0)


def log_in_with_the_form(page: Page, app: str, username: str, password: str) -> None:
    """Log in as a person does, on the log-in page; done once the header shows the account."""
    page.goto(f"{app}/accounts/login/")
    page.get_by_label("Email").fill(username)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Log in").click()
    # Pages carry both header links; data-who (the owner cookie) shows the member's.
    expect(page.get_by_role("link", name="Your account")).to_be_visible()


def poll_page[T](page: Page, condition: Callable[[], T], what: str) -> T:
    """`tests.waiting.poll` for conditions fed by the browser's events (requests seen,
    DevTools events): each check first makes a round trip to the page, which is when
    Playwright's sync API delivers what arrived meanwhile."""
    return poll(lambda: page.evaluate("() => true") and condition(), what)


def worker_registration(page: Page) -> tuple[CDPSession, dict]:
    """The page's service worker registration as DevTools knows it (for dispatching a
    sync or push event), and the DevTools session to send those through."""
    _refuse_without_a_worker(page.context, "asks DevTools for the worker's registration")
    cdp = page.context.new_cdp_session(page)
    found: list[dict] = []
    cdp.on("ServiceWorker.workerRegistrationUpdated", lambda e: found.extend(e["registrations"]))
    cdp.send("ServiceWorker.enable")
    scope = page.evaluate("() => navigator.serviceWorker.getRegistration().then(r => r.scope)")
    live = lambda: [r for r in found if r["scopeURL"] == scope and not r["isDeleted"]]  # noqa: E731
    return cdp, poll_page(page, live, f"DevTools reports the registration for {scope}")[-1]


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


# Debian's chromium-headless-shell (`make chromium`): the same Chromium built as the headless
# shell Playwright itself runs headless, without the desktop browser's parts: the journeys
# cost it about 40 % less CPU here. It has no notifications (Notification.permission stays
# "denied" whatever is granted), so journeys that show one are marked `notifications` and
# get the whole browser; so does a headed run (--headed).
HEADLESS_CHROMIUM = "/usr/bin/chromium-headless-shell"
CHROMIUM = "/usr/bin/chromium"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "notifications: the journey shows notifications (runs in the whole Chromium)"
    )
    config.addinivalue_line(
        "markers",
        "worker: the journey needs the service worker (offline, its caches, the outbox it "
        "replays, push, the storage it shares); every other journey's phones block it",
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    headless = browser_type_launch_args.get("headless", True)
    return {
        **browser_type_launch_args,
        "executable_path": HEADLESS_CHROMIUM if headless else CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--disable-quic",
        ],
    }


@pytest.fixture(scope="session")
def chromium_that_notifies(
    playwright: Playwright, browser_type_launch_args: dict
) -> Iterator[Browser]:
    """The whole Chromium, launched only if a journey marked `notifications` runs."""
    browser = playwright.chromium.launch(
        **{**browser_type_launch_args, "executable_path": CHROMIUM}
    )
    yield browser
    browser.close()


@pytest.fixture
def browser(request: pytest.FixtureRequest, browser: Browser) -> Browser:
    """The browser of the test's phones (pytest-playwright's `context` and `page` too)."""
    if request.node.get_closest_marker("notifications"):
        return request.getfixturevalue("chromium_that_notifies")
    return browser


# A journey's phone, unless it asks for another (pytest-playwright adds its own options).
PHONE_CONTEXT = {"viewport": PHONE, "device_scale_factor": 2, "is_mobile": True, "has_touch": True}
# Phones whose service worker is blocked (their journey is not marked `worker`).
_WORKERS_BLOCKED: weakref.WeakSet[BrowserContext] = weakref.WeakSet()


@pytest.fixture
def new_context(new_context: Callable[..., BrowserContext], request: pytest.FixtureRequest):
    """pytest-playwright's `new_context` (and so `context` and `page`), opening a phone.

    Its service worker is blocked unless the journey is marked `worker`: a fresh phone's
    worker installs and precaches the ~80-file shell, a seventh of an online journey's
    CPU, for journeys that assert nothing about it. A journey that needs the worker and
    was not marked fails at once, saying so (`wait_for_control`, going offline), instead
    of passing without it.
    """
    allowed = request.node.get_closest_marker("worker") is not None

    def phone(**options: Any) -> BrowserContext:
        workers = "allow" if allowed else "block"
        context = new_context(**{**PHONE_CONTEXT, **options, "service_workers": workers})
        if not allowed:
            _WORKERS_BLOCKED.add(context)
            # Offline is the worker's to answer: there is no offline journey without it.
            context.set_offline = lambda offline: _refuse_without_a_worker(context, "goes offline")
        return context

    return phone


def _refuse_without_a_worker(context: BrowserContext, what: str) -> None:
    if context in _WORKERS_BLOCKED:
        raise AssertionError(
            f"This journey {what}, but its phone blocks the service worker: "
            "mark the journey @pytest.mark.worker (e2e/conftest.py, new_context)."
        )


@pytest.fixture(autouse=True)
def _no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """The live server never looks push hosts up on the network (it runs in this process)."""
    monkeypatch.setattr(endpoints, "resolve", lambda host, port: ["142.250.74.106"])


@pytest.fixture
def app(live_server, transactional_db, content_snapshot: ContentSnapshot) -> Iterator[str]:
    """The live server's URL, with the clinic's content (loaded once per session)."""
    content_snapshot.restore()
    yield live_server.url
    # Rate-limit counts live in the database cache, which the flush between tests leaves.
    caches["throttle"].clear()


def photograph(target: Page | Locator, name: str, *, full_page: bool = False) -> Path:
    """build/screenshots/<name>.png of a page (or one element), when FOOTING_SCREENSHOTS=1."""
    path = SCREENSHOTS / f"{name}.png"
    if TAKE_SCREENSHOTS:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        if isinstance(target, Locator):
            target.screenshot(path=str(path))
        else:
            target.screenshot(path=str(path), full_page=full_page)
    return path


@pytest.fixture
def screenshot(page):
    """Photograph the test's page once it has settled (see `photograph`)."""

    def take(name: str, *, full_page: bool = False) -> Path:
        # A boosted navigation swaps in two steps; photograph the settled page.
        # (A locator, not wait_for_function: the CSP rightly forbids its string eval.)
        expect(page.locator(".htmx-request, .htmx-swapping, .htmx-settling")).to_have_count(0)
        two_frames(page)
        return photograph(page, name, full_page=full_page)

    return take


# Two frames drawn, on the screen's own clock: an animation's `finished` follows the
# document timeline, which a fake clock (page.clock) does not touch — requestAnimationFrame
# it does, and a paused one (e2e.test_player.start_playing) would never call it back.
_TWO_FRAMES = """async () => {
  for (let frame = 0; frame < 2; frame += 1) {
    await document.documentElement.animate([], { duration: 0 }).finished;
  }
}"""


def two_frames(page: Page) -> None:
    """Wait until the page has drawn twice (what was just changed is on the screen)."""
    page.evaluate(_TWO_FRAMES)


def no_sideways_scroll(page) -> bool:
    """Nothing is wider than the screen. Against the viewport Playwright set, not
    innerWidth: a mobile browser widens its layout viewport to fit content that overflows."""
    width = page.viewport_size["width"]
    return page.evaluate("document.documentElement.scrollWidth") <= width
