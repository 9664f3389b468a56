"""A runner looks at the pictures: every routine's thumbnails and every exercise's drawing
load on a phone, hold their space while loading and can be read by a screen reader."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from playwright.sync_api import Page, expect

from e2e.conftest import no_sideways_scroll

ROUTINES = sorted(p.stem for p in (Path(settings.CONTENT_DIR) / "routines").glob("*.md"))
EXERCISES = sorted(p.stem for p in (Path(settings.CONTENT_DIR) / "exercises").glob("*.md"))

# Every <img>: loaded, with its size reserved and a text alternative.
IMAGES = """async () => {
  window.scrollTo(0, document.body.scrollHeight);
  const images = [...document.images];
  await Promise.all(images.map((img) => img.decode().catch(() => null)));
  window.scrollTo(0, 0);
  return images.map((img) => ({
    src: img.currentSrc,
    loaded: img.complete && img.naturalWidth > 0,
    width: img.getAttribute("width"),
    height: img.getAttribute("height"),
    alt: img.getAttribute("alt"),
    lazy: img.loading === "lazy",
  }));
}"""


def _check_images(page: Page, *, at_least: int) -> list[dict]:
    images = page.evaluate(IMAGES)
    illustrations = [i for i in images if "/static/illustrations/" in i["src"]]
    assert len(illustrations) >= at_least, page.url
    for image in images:
        assert image["loaded"], image["src"]
        assert image["width"] and image["height"], image["src"]
        assert image["alt"], image["src"]
    assert no_sideways_scroll(page), page.url
    return illustrations


def test_every_routine_shows_a_picture_for_every_step(app: str, page: Page, screenshot) -> None:
    for slug in ROUTINES:
        page.goto(f"{app}/routines/{slug}/")
        steps = page.locator(".step").count()
        thumbs = _check_images(page, at_least=steps)
        assert len(thumbs) == steps
        # The first steps show at once; the rest wait until they are scrolled near.
        assert [t["lazy"] for t in thumbs] == [i >= 2 for i in range(steps)]
        assert all("-still-" in t["src"] for t in thumbs)
        if slug == "plantar-fasciitis-global-stabilization":
            screenshot("illustrations-routine")
            screenshot("illustrations-routine-full", full_page=True)


def test_every_exercise_page_moves_and_reduced_motion_gets_the_still(
    app: str, page: Page, screenshot
) -> None:
    for slug in EXERCISES:
        page.goto(f"{app}/exercises/{slug}/")
        [picture] = _check_images(page, at_least=1)
        assert f"/{slug}-animated-" in picture["src"]
        # A phone at twice the density picks a wide enough file for a sharp picture.
        assert picture["src"].split("-animated-")[1].startswith(("640", "960"))
    page.goto(f"{app}/exercises/glute-bridge/")
    box = page.locator(".illustration img").bounding_box()
    assert box is not None and box["y"] < 844 and abs(box["width"] / box["height"] - 4 / 3) < 0.02
    screenshot("illustrations-exercise")

    page.emulate_media(reduced_motion="reduce")
    page.goto(f"{app}/exercises/wall-calf-stretch/")
    [picture] = _check_images(page, at_least=1)
    assert "/wall-calf-stretch-still-" in picture["src"]
    alt = page.locator(".illustration img").get_attribute("alt") or ""
    assert alt.startswith("Facing a wall with hands on it")
    expect(page.locator(".illustration img")).to_be_visible()
