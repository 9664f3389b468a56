"""The clinic adds its own photo to an exercise in the admin; a runner sees it on a phone."""

from __future__ import annotations

import io

from django.contrib.auth import get_user_model
from PIL import ExifTags, Image
from playwright.sync_api import Page, expect

from e2e.conftest import no_sideways_scroll
from library.photos import NOT_AN_IMAGE


def _phone_photo() -> bytes:
    image = Image.new("RGB", (1200, 900), (226, 239, 236))
    image.paste((13, 95, 95), (300, 200, 900, 700))
    exif = Image.Exif()
    exif[ExifTags.Base.GPSInfo] = {ExifTags.GPS.GPSLatitudeRef: "N"}
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif, quality=85)
    return out.getvalue()


def test_clinic_uploads_a_photo_and_a_runner_sees_it(
    app: str, page: Page, screenshot, settings, tmp_path
) -> None:
    settings.MEDIA_ROOT = tmp_path / "media"  # the live server runs in this process
    get_user_model().objects.create_superuser("physio", "p@example.com", "a-long-password-1")
    page.goto(f"{app}/admin/login/?next=/admin/library/exercisephoto/add/")
    page.get_by_label("Username").fill("physio")
    page.get_by_label("Password").fill("a-long-password-1")
    page.get_by_role("button", name="Log in").click()

    page.get_by_label("Exercise").select_option(label="Glute bridge")
    page.get_by_label("Description").fill("A physio showing the glute bridge on a mat")
    photo = page.locator("input[type=file]")
    photo.set_input_files(
        files=[{"name": "bridge.jpg", "mimeType": "image/jpeg", "buffer": b"not a photo"}]
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".errorlist")).to_contain_text(NOT_AN_IMAGE)
    screenshot("photos-admin-refused", full_page=True)

    photo.set_input_files(
        files=[{"name": "bridge.jpg", "mimeType": "image/jpeg", "buffer": _phone_photo()}]
    )
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".messagelist")).to_contain_text("was added successfully")

    page.context.clear_cookies()
    page.goto(f"{app}/exercises/glute-bridge/")
    clinic_photo = page.locator(".clinic-photo img")
    clinic_photo.scroll_into_view_if_needed()
    expect(clinic_photo).to_have_attribute("alt", "A physio showing the glute bridge on a mat")
    loaded = clinic_photo.evaluate("img => img.decode().then(() => img.naturalWidth)")
    assert loaded > 0
    assert clinic_photo.get_attribute("width") and clinic_photo.get_attribute("height")
    assert no_sideways_scroll(page)
    screenshot("photos-exercise-page")
