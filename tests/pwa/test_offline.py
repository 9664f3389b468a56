"""The installable, offline app's server side: offline manifests, sync, /sw.js, the web app
manifest, the offline page and the icons they point at."""

from __future__ import annotations

import io
import json
import re
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.signals import request_finished
from django.db import close_old_connections, connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from PIL import Image

from library.models import Routine
from library.offline import manifest
from library.selectors import routine_draft_snapshot
from library.services import content_release_bump, version_publish
from tests.factories import exercise_data, load, routine_data, write_content

pytestmark = pytest.mark.django_db

ROUTINE = "plantar-fasciitis-pain-management"


def sw_config(client: Client) -> dict:
    body = client.get("/sw.js").content.decode()
    match = re.match(r"const FOOTING = (\{.*?\n\});\n", body, re.S)
    assert match, "sw.js starts with its generated settings"
    return json.loads(match.group(1))


def body_of(client: Client, url: str) -> tuple[int, bytes]:
    """Status and body; static files stream from WhiteNoise and must be closed. Closing
    sends request_finished, which would close the test's database connection: the test
    client mutes it the same way."""
    response = client.get(url)
    try:
        if response.streaming:
            return response.status_code, b"".join(response.streaming_content)
        return response.status_code, response.content
    finally:
        request_finished.disconnect(close_old_connections)
        try:
            response.close()
        finally:
            request_finished.connect(close_old_connections)


# --- the offline manifest: what "Save for offline" downloads -------------------------------


def test_offline_manifest_lists_every_file_with_its_served_size(
    client: Client, clinic_content: None
) -> None:
    routine = client.get(f"/api/v1/routines/{ROUTINE}").json()
    response = client.get(f"/api/v1/routines/{ROUTINE}/offline-manifest")

    assert response.status_code == 200
    manifest = response.json()
    assert manifest["slug"] == ROUTINE
    assert manifest["version"] == routine["version"]
    urls = [f["url"] for f in manifest["files"]]
    assert urls[0] == f"/routines/{ROUTINE}/"
    exercises = list(dict.fromkeys(i["exercise"]["slug"] for i in routine["items"]))
    assert manifest["exercises"] == len(exercises)
    for slug in exercises:
        assert f"/exercises/{slug}/" in urls
    assert f"/api/v1/routines/{ROUTINE}" in urls
    assert len(urls) == len(set(urls))
    for file in manifest["files"]:
        status, body = body_of(client, file["url"])
        assert status == 200, file["url"]
        assert len(body) == file["bytes"], file["url"]
    assert manifest["total_bytes"] == sum(f["bytes"] for f in manifest["files"])


def test_offline_manifest_keeps_each_exercise_picture_still_and_animated(
    client: Client, clinic_content: None
) -> None:
    manifest = client.get(f"/api/v1/routines/{ROUTINE}/offline-manifest").json()
    urls = {f["url"] for f in manifest["files"]}
    for item in client.get(f"/api/v1/routines/{ROUTINE}").json()["items"]:
        picture = item["exercise"]["illustration"]
        # The session builds any missing illustration before the first test (conftest.py).
        assert picture is not None, item["exercise"]["slug"]
        # The exercise page's <img src> and the routine page's thumbnails open offline.
        assert picture["still"]["url"] in urls
        assert picture["animated"]["url"] in urls
        smallest = picture["still"]["srcset"].split(", ")[0].split(" ")[0]
        assert smallest in urls
    assert {f["kind"] for f in manifest["files"]} == {"page", "data", "image"}


def test_saving_any_routine_downloads_at_most_500_kb(client: Client, clinic_content: None) -> None:
    for routine in client.get("/api/v1/routines").json():
        manifest = client.get(f"/api/v1/routines/{routine['slug']}/offline-manifest").json()
        assert manifest["total_bytes"] <= 500 * 1024, (routine["slug"], manifest["total_bytes"])


def test_offline_manifest_includes_the_session_player(client: Client, clinic_content: None) -> None:
    player = reverse("pwa:player", args=[ROUTINE])
    urls = [
        f["url"] for f in client.get(f"/api/v1/routines/{ROUTINE}/offline-manifest").json()["files"]
    ]
    assert player in urls


def test_offline_manifest_is_revalidated_by_etag(client: Client, clinic_content: None) -> None:
    url = f"/api/v1/routines/{ROUTINE}/offline-manifest"
    first = client.get(url)
    assert "no-cache" in first["Cache-Control"]

    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 304
    content_release_bump(reason="test")
    assert client.get(url, headers={"If-None-Match": first["ETag"]}).status_code == 200


def test_offline_manifest_of_an_unknown_routine_is_404(
    client: Client, clinic_content: None
) -> None:
    response = client.get("/api/v1/routines/nope/offline-manifest")
    assert response.status_code == 404
    assert "nope" in response.json()["detail"]


# --- sync: "I hold version N; what's new?" ---------------------------------------------


def test_sync_reports_new_versions_with_every_changelog_since(
    client: Client, tmp_path: Path
) -> None:
    root = write_content(tmp_path)
    load(root)
    write_content(
        root,
        routines=[
            routine_data(items=[{"exercise": "calf-raise", "sets": 4}], changelog="More sets.")
        ],
    )
    load(root)
    write_content(
        root,
        routines=[
            routine_data(items=[{"exercise": "calf-raise", "sets": 5}], changelog="Five sets.")
        ],
    )
    load(root)

    answer = client.get("/api/v1/sync?routine=heel-routine:1").json()

    assert answer["app_version"] == sw_config(client)["version"]
    [routine] = answer["routines"]
    assert routine["slug"] == "heel-routine"
    assert routine["available"] is True
    assert routine["version"] == 3
    assert routine["updated"] is True
    assert routine["changelog"] == "Five sets."
    assert [(c["version"], c["changelog"]) for c in routine["changes"]] == [
        (2, "More sets."),
        (3, "Five sets."),
    ]
    assert routine["offline_manifest"] == "/api/v1/routines/heel-routine/offline-manifest"


def test_sync_says_nothing_changed_for_the_current_version(client: Client, tmp_path: Path) -> None:
    load(write_content(tmp_path))

    response = client.get("/api/v1/sync?routine=heel-routine:1")

    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"  # it lists a patient's prescriptions
    [routine] = response.json()["routines"]
    assert (routine["version"], routine["updated"], routine["changes"]) == (1, False, [])


def test_sync_marks_archived_and_unknown_routines_unavailable(
    client: Client, tmp_path: Path
) -> None:
    root = write_content(tmp_path)
    load(root)
    (root / "routines" / "heel-routine.md").unlink()
    write_content(root, routines=[routine_data("arch-routine")])
    load(root)

    routines = client.get("/api/v1/sync?routine=heel-routine:1&routine=ghost:2").json()["routines"]

    assert [(r["slug"], r["available"]) for r in routines] == [
        ("heel-routine", False),
        ("ghost", False),
    ]
    assert [r["offline_manifest"] for r in routines] == [None, None]


def test_sync_asks_a_fixed_number_of_queries(client: Client, tmp_path: Path) -> None:
    root = tmp_path
    exercises = [exercise_data()]
    routines = [routine_data(f"routine-{n}") for n in range(6)]
    load(write_content(root, exercises=exercises, routines=routines))
    held = "&".join(f"routine=routine-{n}:0" for n in range(6))

    with CaptureQueriesContext(connection) as queries:
        answer = client.get(f"/api/v1/sync?{held}").json()

    assert all(r["updated"] for r in answer["routines"])
    assert len(queries) <= 4  # routines, newer versions, the content version


@pytest.mark.parametrize("value", ["heel-routine", "heel-routine:x", ":3"])
def test_sync_rejects_malformed_routine_versions(client: Client, value: str) -> None:
    response = client.get(f"/api/v1/sync?routine={value}")
    assert response.status_code == 422
    assert response.json()["field"].startswith("routine")


def test_sync_refuses_to_be_asked_about_too_many_routines(client: Client) -> None:
    held = "&".join(f"routine=r-{n}:1" for n in range(51))
    assert client.get(f"/api/v1/sync?{held}").status_code == 422


# --- the service worker ------------------------------------------------------------------


def test_service_worker_is_served_from_the_root_and_always_revalidated(
    client: Client, clinic_content: None
) -> None:
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert "no-cache" in response["Cache-Control"]
    body = response.content.decode()
    assert 'addEventListener("fetch"' in body
    assert client.post("/sw.js").status_code == 405


def test_every_precached_url_resolves(client: Client, clinic_content: None) -> None:
    precache = sw_config(client)["precache"]

    assert {"/", "/offline/", "/self-check/", "/manifest.webmanifest"} <= set(precache)
    assert any(re.search(r"/static/css/app\.[0-9a-f]{12}\.css$", u) for u in precache)
    assert any(
        re.search(r"/static/django_htmx/htmx-2\.min\.[0-9a-f]{12}\.js$", u) for u in precache
    )
    assert any(re.search(r"/static/js/offline\.[0-9a-f]{12}\.js$", u) for u in precache)
    assert not any("/js/sw." in u or "screenshot" in u for u in precache)
    for url in precache:
        assert body_of(client, url)[0] == 200, url


def test_a_content_publish_leaves_the_app_version_alone(
    client: Client, clinic_content: None
) -> None:
    """Publishing a routine is not new app code: no Update bar for anyone (issue 18)."""
    before = client.get("/sw.js").content

    content_release_bump(reason="a routine was republished")
    routine = Routine.objects.get(slug="plantar-fasciitis-pain-management")
    version_publish(
        routine=routine, snapshot=routine_draft_snapshot(routine=routine), changelog="Longer holds."
    )

    assert client.get("/sw.js").content == before


def test_the_service_worker_version_follows_the_app_code(
    client: Client, clinic_content: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = sw_config(client)["version"]
    assert sw_config(client)["version"] == before

    # A deploy with a changed stylesheet or template changes a fingerprint.
    monkeypatch.setattr(manifest, "_static_fingerprint", lambda: "new-static")
    after_static = sw_config(client)["version"]
    monkeypatch.setattr(manifest, "_templates_fingerprint", lambda: "new-templates")

    assert len({before, after_static, sw_config(client)["version"]}) == 3


def test_changing_a_template_changes_the_app_version(tmp_path: Path, settings) -> None:
    folder = tmp_path / "templates"
    folder.mkdir()
    page = folder / "page.html"
    page.write_text("<p>One</p>")
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [folder]}]
    versions = []
    try:
        for text in ["<p>One</p>", "<p>Two</p>", "<p>One</p>"]:
            page.write_text(text)
            manifest._templates_fingerprint.cache_clear()
            versions.append(manifest.app_version())
    finally:
        manifest._templates_fingerprint.cache_clear()

    assert versions[0] != versions[1]
    assert versions[0] == versions[2]


# --- the web app manifest and its icons ------------------------------------------------------


def test_web_manifest_makes_the_app_installable(client: Client, clinic_content: None) -> None:
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == manifest["short_name"] == "Footing"
    assert manifest["id"] == manifest["start_url"] == manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == "#0d5f5f"
    assert manifest["background_color"]
    assert manifest["description"]
    assert [s["url"] for s in manifest["shortcuts"]] == ["/checkin/", "/offline/"]
    assert {s["name"] for s in manifest["shortcuts"]} == {"Morning check-in", "My routines"}
    for shortcut in manifest["shortcuts"]:
        # The check-in asks a stranger to log in first; either way the shortcut leads somewhere.
        assert client.get(shortcut["url"]).status_code in (200, 302), shortcut["url"]


def test_manifest_icons_and_screenshots_are_real_images_of_the_declared_size(
    client: Client, clinic_content: None
) -> None:
    manifest = client.get("/manifest.webmanifest").json()
    icons = {(i["sizes"], i["purpose"]) for i in manifest["icons"]}
    assert {("192x192", "any"), ("512x512", "any"), ("512x512", "maskable")} <= icons
    assert all(s["form_factor"] == "narrow" for s in manifest["screenshots"])

    for image in manifest["icons"] + manifest["screenshots"]:
        status, body = body_of(client, image["src"])
        assert status == 200, image["src"]
        picture = Image.open(io.BytesIO(body))
        assert picture.format == "PNG"
        assert "x".join(map(str, picture.size)) == image["sizes"]


def test_pages_link_the_manifest_icons_and_offline_script(
    client: Client, clinic_content: None
) -> None:
    html = client.get("/").content.decode()

    assert '<link rel="manifest" href="/manifest.webmanifest">' in html
    assert re.search(
        r'rel="apple-touch-icon" href="/static/icons/apple-touch-icon-180\.\w+\.png"', html
    )
    assert re.search(r'rel="icon" href="/static/icons/favicon\.\w+\.ico"', html)
    assert re.search(r'<script type="module" src="/static/js/app\.\w+\.js"></script>', html)
    assert "You're offline — saved routines still work" in html
    assert "A new version of Footing is ready" in html


def image_at(path: Path) -> Image.Image:
    with Image.open(path) as image:
        image.load()
        return image


def test_build_icons_draws_every_icon_from_one_source(tmp_path: Path) -> None:
    call_command("build_icons", out=tmp_path, stdout=StringIO())

    sizes = {
        "icon-192.png": (192, 192),
        "icon-512.png": (512, 512),
        "icon-maskable-512.png": (512, 512),
        "apple-touch-icon-180.png": (180, 180),
    }
    for name, size in sizes.items():
        assert image_at(tmp_path / name).size == size
    # A maskable icon fills its square: no transparent corners for the launcher to show.
    maskable = image_at(tmp_path / "icon-maskable-512.png").convert("RGBA")
    assert maskable.getpixel((0, 0))[3] == 255
    assert image_at(tmp_path / "apple-touch-icon-180.png").mode == "RGB"
    assert image_at(tmp_path / "favicon.ico").format == "ICO"
    # Deterministic: drawing again gives the same bytes, so hashed names stay put.
    first = (tmp_path / "icon-512.png").read_bytes()
    call_command("build_icons", out=tmp_path, stdout=StringIO())
    assert (tmp_path / "icon-512.png").read_bytes() == first


# --- the pages ---------------------------------------------------------------------------


def test_routine_page_offers_save_for_offline(client: Client, clinic_content: None) -> None:
    html = client.get(f"/routines/{ROUTINE}/").content.decode()

    assert "Save for offline" in html
    assert f'data-manifest-url="/api/v1/routines/{ROUTINE}/offline-manifest"' in html


def test_offline_page_lists_saved_routines_and_is_precached(
    client: Client, clinic_content: None
) -> None:
    response = client.get("/offline/")

    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>My routines</h1>" in html
    assert "data-saved-list" in html
    assert "You're offline" in html
    assert "/offline/" in sw_config(client)["precache"]
