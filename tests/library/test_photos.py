from __future__ import annotations

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import ExifTags, Image

from footing.errors import Invalid
from library import photos
from library.illustrations.renditions import RENDITIONS
from library.models import ExercisePhoto
from library.photos import exercise_photo_add, exercise_photo_delete, exercise_photos, photo_dir
from tests.factories import load, write_content

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path: Path) -> Path:
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def exercise(tmp_path: Path):
    from library.models import Exercise

    load(write_content(tmp_path / "content"))
    return Exercise.objects.get(slug="calf-raise")


def _encoded(image: Image.Image, fmt: str, **params) -> bytes:
    out = io.BytesIO()
    image.save(out, fmt, **params)
    return out.getvalue()


def _two_colour(size: tuple[int, int] = (1000, 500)) -> Image.Image:
    """Left half red, right half blue: shows which way a photo was turned."""
    image = Image.new("RGB", size, (220, 30, 30))
    image.paste((30, 30, 220), (size[0] // 2, 0, size[0], size[1]))
    return image


def _phone_jpeg() -> bytes:
    """A photo as a phone writes it: sideways pixels, EXIF orientation 6, GPS position."""
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = 6
    exif[ExifTags.Base.Make] = "PhoneCo"
    exif[ExifTags.Base.GPSInfo] = {
        ExifTags.GPS.GPSLatitudeRef: "N",
        ExifTags.GPS.GPSLatitude: (52.0, 22.0, 7.0),
        ExifTags.GPS.GPSLongitudeRef: "E",
        ExifTags.GPS.GPSLongitude: (4.0, 53.0, 2.0),
    }
    return _encoded(_two_colour(), "JPEG", exif=exif, quality=90)


def _noisy_jpeg() -> bytes:
    return _encoded(Image.effect_noise((800, 600), 60).convert("RGB"), "JPEG", quality=95)


def _png_header_only(width: int, height: int) -> bytes:
    """A PNG that claims a huge size in its header and carries no pixels: a bomb."""
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
        )

    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IEND", b"")


def _animated_webp() -> bytes:
    frames = [Image.new("RGB", (400, 300), c) for c in ("red", "blue")]
    return _encoded(frames[0], "WEBP", save_all=True, append_images=frames[1:], duration=100)


def _upload(data: bytes, name: str = "photo.jpg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def _nothing_written(media: Path) -> bool:
    folder = media / "exercise-photos"
    return ExercisePhoto.objects.count() == 0 and (not folder.exists() or not any(folder.iterdir()))


BAD_UPLOADS = [
    ("text named .jpg", lambda: b"Just some text, not a picture at all.", photos.NOT_AN_IMAGE),
    ("truncated JPEG", lambda: _noisy_jpeg()[:20_000], photos.TRUNCATED),
    (
        "48-megapixel PNG bomb",
        lambda: _encoded(Image.new("1", (8000, 6000)), "PNG"),
        photos.TOO_MANY_PIXELS.format(megapixels="48"),
    ),
    (
        "header-only bomb",
        lambda: _png_header_only(100_000, 100_000),
        photos.TOO_MANY_PIXELS.format(megapixels="over 89"),
    ),
    ("over 10 MB", lambda: b"\xff\xd8\xff" + bytes(10 * 1024 * 1024), "the limit is 10 MB"),
    (
        "GIF",
        lambda: _encoded(Image.new("RGB", (400, 300), "red"), "GIF"),
        photos.WRONG_FORMAT.format(format="GIF"),
    ),
    ("animated WebP", _animated_webp, photos.ANIMATED),
]


@pytest.mark.parametrize(("case", "make", "message"), BAD_UPLOADS, ids=[c[0] for c in BAD_UPLOADS])
def test_bad_uploads_are_refused_with_a_message_and_nothing_written(
    exercise, media: Path, case: str, make, message: str
) -> None:
    with pytest.raises(Invalid) as refused:
        exercise_photo_add(exercise=exercise, upload=_upload(make()), alt="Calf raise on a step")
    assert message in refused.value.message
    assert refused.value.field == "photo"
    assert _nothing_written(media)


def test_a_png_named_jpg_is_judged_by_its_content_and_accepted(exercise, media: Path) -> None:
    data = _encoded(_two_colour((700, 400)), "PNG")
    photo = exercise_photo_add(exercise=exercise, upload=_upload(data, "holiday.jpg"), alt="Calf")
    assert sorted(int(w) for w in photo.files) == [w for w in RENDITIONS if w <= 700]
    for name in photo.files.values():
        with Image.open(photo_dir() / name) as written:
            assert written.format == "WEBP"


def test_phone_photo_is_turned_upright_and_loses_gps_and_all_metadata(exercise) -> None:
    original = Image.open(io.BytesIO(_phone_jpeg()))
    assert original.getexif().get_ifd(ExifTags.IFD.GPSInfo)  # the upload does carry GPS

    photo = exercise_photo_add(exercise=exercise, upload=_upload(_phone_jpeg()), alt="Calf")

    # 1000 x 500 sideways pixels, orientation 6: upright it is 500 x 1000.
    assert (photo.width, photo.height) == (500, 1000)
    assert sorted(photo.files) == ["320"]
    path = photo_dir() / photo.files["320"]
    data = path.read_bytes()
    assert b"PhoneCo" not in data and b"Exif" not in data
    with Image.open(path) as written:
        assert written.size == (320, 640)
        assert not written.getexif()
        assert not {"exif", "icc_profile", "xmp"} & set(written.info)
        # The red left half of the sideways picture is now at the top.
        red, _, blue = written.convert("RGB").getpixel((160, 40))
        assert red > 150 and blue < 100


def test_files_are_named_by_content_and_written_whole(exercise) -> None:
    photo = exercise_photo_add(exercise=exercise, upload=_upload(_noisy_jpeg()), alt="Calf")
    for width, name in photo.files.items():
        data = (photo_dir() / name).read_bytes()
        assert name == photos.photo_name(data)
        assert Image.open(io.BytesIO(data)).width == int(width)
    assert not list(photo_dir().glob("*.part"))


def test_a_failure_while_saving_leaves_no_files_and_no_row(
    exercise, media: Path, monkeypatch
) -> None:
    def broken(*args, **kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(ExercisePhoto.objects, "create", broken)
    with pytest.raises(RuntimeError):
        exercise_photo_add(exercise=exercise, upload=_upload(_noisy_jpeg()), alt="Calf")
    assert _nothing_written(media)


def test_a_failure_while_writing_removes_the_files_already_written(
    exercise, media: Path, monkeypatch
) -> None:
    real_replace = os.replace
    calls = []

    def replace_then_fail(src, dst):
        calls.append(dst)
        if len(calls) == 2:
            raise OSError("disk full")
        real_replace(src, dst)

    monkeypatch.setattr(photos.os, "replace", replace_then_fail)
    with pytest.raises(OSError):
        exercise_photo_add(exercise=exercise, upload=_upload(_noisy_jpeg()), alt="Calf")
    assert _nothing_written(media)


def test_deleting_a_photo_removes_its_files(exercise, media: Path) -> None:
    photo = exercise_photo_add(exercise=exercise, upload=_upload(_noisy_jpeg()), alt="Calf")
    exercise_photo_delete(photo=photo)
    assert _nothing_written(media)


def test_photos_are_served_forever_cacheable_and_shown_on_the_page(
    exercise, client: Client
) -> None:
    exercise_photo_add(exercise=exercise, upload=_upload(_noisy_jpeg()), alt="A calf raise")
    [shown] = exercise_photos(exercise=exercise)
    assert (shown.width, shown.height) == (640, 480)
    assert shown.srcset.count("w,") == 1  # 320w, 640w (the 800 px photo cannot fill 960)

    response = client.get(shown.url)
    assert response.status_code == 200
    assert response["Content-Type"] == "image/webp"
    assert (
        "immutable" in response["Cache-Control"] and "max-age=31536000" in response["Cache-Control"]
    )
    assert b"".join(response.streaming_content)[:4] == b"RIFF"

    for bad in ("../secret.webp", "abc.webp", "0" * 32 + ".png"):
        assert client.get(f"/media/exercise-photos/{bad}").status_code == 404

    page = client.get("/exercises/calf-raise/").content.decode()
    assert shown.url in page and 'alt="A calf raise"' in page
    api = client.get("/api/v1/exercises/calf-raise").json()
    assert api["photos"][0]["url"] == shown.url


def test_admin_upload_shows_a_clear_error_and_writes_nothing(exercise, media: Path) -> None:
    admin = get_user_model().objects.create_superuser("clinic", "c@example.com", "pw-long-enough")
    client = Client()
    client.force_login(admin)
    url = "/admin/library/exercisephoto/add/"
    form = {"exercise": exercise.pk, "alt": "Calf raise", "position": 0}

    response = client.post(url, form | {"photo": _upload(b"not a photo", "calf.jpg")})
    assert response.status_code == 200
    assert photos.NOT_AN_IMAGE in response.content.decode()
    assert _nothing_written(media)

    response = client.post(url, form | {"photo": _upload(_phone_jpeg(), "calf.jpg")})
    assert response.status_code == 302
    photo = ExercisePhoto.objects.get()
    assert (photo_dir() / photo.files["320"]).exists()


def test_admin_edits_the_description_and_deletes_photo_and_files(exercise, media: Path) -> None:
    from library.selectors import content_version

    admin = get_user_model().objects.create_superuser("clinic", "c@example.com", "pw-long-enough")
    client = Client()
    client.force_login(admin)
    photo = exercise_photo_add(exercise=exercise, upload=_upload(_noisy_jpeg()), alt="Calf")
    before = content_version()

    change = f"/admin/library/exercisephoto/{photo.pk}/change/"
    response = client.post(change, {"exercise": exercise.pk, "alt": "Calf raise", "position": 1})
    assert response.status_code == 302
    photo.refresh_from_db()
    assert (photo.alt, photo.position) == ("Calf raise", 1)
    assert content_version() != before  # cached pages show the new text
    exercise_page = client.get(f"/admin/library/exercise/{exercise.pk}/change/")
    assert exercise_page.status_code == 200 and "Calf raise" in exercise_page.content.decode()

    response = client.post(f"/admin/library/exercisephoto/{photo.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    assert _nothing_written(media)


def test_one_srcset_builder_for_every_picture_and_the_default_width_from_renditions() -> None:
    from itertools import combinations

    from library.illustrations.renditions import DEFAULT_WIDTH, default_width, srcset

    for size in range(1, len(RENDITIONS) + 1):
        for widths in combinations(RENDITIONS, size):
            chosen = default_width(widths)
            assert chosen in widths
            narrower = [w for w in widths if w <= DEFAULT_WIDTH]
            # The default width when there, else the widest narrower, else the narrowest.
            assert chosen == (max(narrower) if narrower else min(widths))
            urls = {w: f"/p/{w}.webp" for w in reversed(widths)}
            assert srcset(urls) == ", ".join(f"/p/{w}.webp {w}w" for w in sorted(widths))
    assert default_width(RENDITIONS) == DEFAULT_WIDTH
