from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.test import Client
from PIL import Image, ImageChops

from footing.errors import Invalid
from library.illustrations.body import HAND_R, THIGH_R
from library.illustrations.figure import HEAD_R, figure_of
from library.illustrations.lookup import exercise_illustration, static_names
from library.illustrations.poses import pose_file_parse, pose_files_read
from library.illustrations.renditions import (
    RENDITIONS,
    exercise_draw,
    file_name,
    illustrations_build,
    rendition_height,
)
from library.illustrations.scene import animation_frames, still_image, timeline, window
from library.versions import items_shown

POSES = Path(settings.CONTENT_DIR) / "poses"
EXERCISES = sorted(p.stem for p in (Path(settings.CONTENT_DIR) / "exercises").glob("*.md"))
POSE_FILES = pose_files_read(POSES)
SMALL = {
    "exercise": "heel-tap",
    "description": "Standing tall, lifting one heel and putting it down again.",
    "highlight": [{"part": "calf"}],
    "props": [{"kind": "floor"}],
    "keyframes": [
        {"name": "down", "pose": {"near_leg": {"ankle": [0, 7.5], "foot": 0}, "hip": [0, 94]}},
        {
            "name": "up",
            "hold": True,
            "move": 0.3,
            "pose": {"near_leg": {"ankle": [6, 14], "foot": -35, "toes": 35}},
        },
    ],
}


def test_every_exercise_has_a_pose_file_and_every_pose_file_an_exercise() -> None:
    assert sorted(POSE_FILES) == EXERCISES


@pytest.mark.parametrize("slug", EXERCISES)
def test_every_exercise_renders_a_still_at_each_width(slug: str) -> None:
    pose_file = POSE_FILES[slug]
    for width in RENDITIONS[:2]:
        image = still_image(pose_file, width=width)
        assert image.size == (width, rendition_height(width))
    # Something is drawn: not one flat background colour.
    assert len(image.getcolors(maxcolors=1 << 16) or range(1 << 16)) > 20


@pytest.mark.parametrize("slug", EXERCISES)
def test_keyframes_differ_so_the_movement_shows(slug: str) -> None:
    pose_file = POSE_FILES[slug]
    first = figure_of(pose_file.keyframes[0].pose)
    shown = figure_of(pose_file.keyframes[pose_file.still_index].pose)
    moved = max(
        abs(a - b) for name in first.points for a, b in zip(first[name], shown[name], strict=True)
    )
    turned = max(
        abs(getattr(first.legs[side], a) - getattr(shown.legs[side], a))
        for side in ("near", "far")
        for a in ("foot", "toes", "big_toe", "arch")
    )
    assert moved > 2 or turned > 10 or abs(first.spread - shown.spread) > 0.5


@pytest.mark.parametrize(
    "slug", [s for s in EXERCISES if POSE_FILES[s].window is None and POSE_FILES[s].view == "side"]
)
def test_the_whole_figure_stays_inside_the_canvas_in_every_frame(slug: str) -> None:
    pose_file = POSE_FILES[slug]
    frames = timeline(pose_file)
    view = window(pose_file, frames)
    limb = max(THIGH_R[0], HAND_R)
    on_floor = any(prop.kind == "floor" for prop in pose_file.props)
    for frame in frames:
        if on_floor:
            # Mid-movement a toe may brush the floor line; never sink into it.
            assert min(y for _, y in frame.figure.points.values()) > -3, "through the floor"
        for name, (x, y) in frame.figure.points.items():
            reach = HEAD_R if name == "head" else limb
            assert view.left <= x - reach and x + reach <= view.right, (name, x)
            assert view.bottom <= y - reach and y + reach <= view.top, (name, y)


@pytest.mark.parametrize("slug", EXERCISES)
def test_keyframes_rest_on_the_floor_not_in_it(slug: str) -> None:
    pose_file = POSE_FILES[slug]
    if not any(prop.kind == "floor" for prop in pose_file.props):
        return
    for keyframe in pose_file.keyframes:
        lowest = min(y for _, y in figure_of(keyframe.pose).points.values())
        assert lowest > -1.5, keyframe.name


def test_close_ups_keep_the_highlighted_foot_in_view() -> None:
    for pose_file in POSE_FILES.values():
        if pose_file.window is None:
            continue
        left, bottom, right, top = pose_file.window
        for frame in timeline(pose_file):
            for name in ("near.heel", "near.ball", "near.toe"):
                x, y = frame.figure[name]
                assert left < x < right and bottom < y < top, (pose_file.exercise, name)


def test_the_animation_loops_eases_and_holds_the_hold() -> None:
    pose_file = pose_file_parse(data=SMALL, source="heel-tap.yaml")
    frames = animation_frames(pose_file, width=RENDITIONS[0])
    durations = [ms for _, ms in frames]
    assert len(frames) >= 4
    assert max(durations) >= 1600  # the hold rests on the top position
    assert frames[0][0].tobytes() != frames[len(frames) // 2][0].tobytes()

    drawn = exercise_draw(pose_file)
    animated = Image.open(io.BytesIO(drawn.files[file_name("heel-tap", "animated", 320)]))
    assert animated.format == "WEBP"
    assert animated.is_animated and animated.n_frames == len(frames)
    assert animated.info["loop"] == 0
    assert animated.size == (320, 240)


def test_drawing_is_deterministic() -> None:
    pose_file = pose_file_parse(data=SMALL, source="heel-tap.yaml")
    assert exercise_draw(pose_file).files == exercise_draw(pose_file).files


def test_the_still_shows_the_start_ghosted_behind_the_end() -> None:
    pose_file = pose_file_parse(data=SMALL, source="heel-tap.yaml")
    still = still_image(pose_file, width=320)
    end_frame = animation_frames(pose_file, width=320)
    # The end pose alone (the animation's hold frame) lacks the ghost and the arrow.
    hold = max(end_frame, key=lambda pair: pair[1])[0]
    difference = ImageChops.difference(still, hold).getbbox()
    assert difference is not None


def test_build_writes_every_width_only_redraws_what_changed_and_removes_leftovers(
    tmp_path: Path,
) -> None:
    poses = tmp_path / "poses"
    poses.mkdir()
    (poses / "heel-tap.yaml").write_text(yaml.safe_dump(SMALL))
    out = tmp_path / "out"
    (out).mkdir()
    (out / "gone-still-320.webp").write_bytes(b"old")

    assert illustrations_build(poses_dir=poses, out_dir=out, workers=1) == ["heel-tap"]
    names = sorted(p.name for p in out.glob("*.webp"))
    assert names == sorted(
        file_name("heel-tap", k, w) for k in ("still", "animated") for w in RENDITIONS
    )
    for width in RENDITIONS:
        with Image.open(out / file_name("heel-tap", "still", width)) as image:
            assert image.size == (width, rendition_height(width))
    index = json.loads((out / "index.json").read_text())
    assert index["heel-tap"]["description"] == SMALL["description"]
    first = (out / file_name("heel-tap", "still", 640)).read_bytes()

    indexed = (out / "index.json").stat().st_mtime_ns

    assert illustrations_build(poses_dir=poses, out_dir=out, workers=1) == []
    # Nothing changed, nothing written: a newer index would make collectstatic run again.
    assert (out / "index.json").stat().st_mtime_ns == indexed

    changed = SMALL | {"description": "Standing tall, lifting one heel high, then lowering it."}
    (poses / "heel-tap.yaml").write_text(yaml.safe_dump(changed))
    assert illustrations_build(poses_dir=poses, out_dir=out, workers=1) == ["heel-tap"]
    assert (out / file_name("heel-tap", "still", 640)).read_bytes() == first
    assert not list(out.glob("*.part"))

    # A bare `pytest` (the root conftest) only fills in what is missing.
    moved = changed | {"arrow": "near.ankle"}
    (poses / "heel-tap.yaml").write_text(yaml.safe_dump(moved))
    assert illustrations_build(poses_dir=poses, out_dir=out, only_missing=True, workers=1) == []
    (out / file_name("heel-tap", "animated", 320)).unlink()
    drawn = illustrations_build(poses_dir=poses, out_dir=out, only_missing=True, workers=1)
    assert drawn == ["heel-tap"]


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"keyframes": [SMALL["keyframes"][0]]}, "keyframes"),
        ({"highlight": [{"part": "elbow"}]}, "highlight.0.part"),
        ({"arrow": "near.nose"}, "arrow"),
        ({"props": [{"kind": "ball", "at": "near.big-toe"}]}, "unknown point"),
        ({"description": "Short"}, "description"),
        ({"keyframes": [{"name": "x", "pose": {"near_leg": {"foot": 3}}}] * 2}, "ankle"),
    ],
)
def test_a_bad_pose_file_names_the_field(change: dict[str, object], message: str) -> None:
    with pytest.raises(Invalid, match=re.escape(message)):
        pose_file_parse(data=SMALL | change, source="heel-tap.yaml")


def test_every_pose_file_is_named_after_its_exercise(tmp_path: Path) -> None:
    shutil.copy(POSES / "glute-bridge.yaml", tmp_path / "bridge.yaml")
    with pytest.raises(Invalid, match="must be 'bridge'"):
        pose_files_read(tmp_path)


def test_lookup_gives_hashed_urls_for_every_width() -> None:
    illustration = exercise_illustration(slug="glute-bridge")
    assert illustration is not None
    assert illustration.alt == POSE_FILES["glute-bridge"].description
    for image in (illustration.still, illustration.animated):
        assert (image.width, image.height) == (640, 480)
        assert re.fullmatch(
            r"/static/illustrations/glute-bridge-\w+-640\.[0-9a-f]{12}\.webp", image.url
        )
        assert [int(w) for w in re.findall(r" (\d+)w", image.srcset)] == list(RENDITIONS)
    assert exercise_illustration(slug="no-such-exercise") is None
    assert len(static_names(slug="glute-bridge")) == 2 * len(RENDITIONS)
    item = {"position": 1, "sets": 3, "reps": 10, "hold_seconds": None, "minutes": None}
    items = items_shown(
        {
            "items": [
                item | {"exercise": {"slug": "glute-bridge"}},
                item | {"exercise": {"slug": "x"}},
            ]
        }
    )
    assert items[0]["exercise"]["illustration"]["still"]["url"] == illustration.still.url
    assert items[1]["exercise"]["illustration"] is None
    assert [i["dose"] for i in items] == ["3 × 10", "3 × 10"]


@pytest.mark.django_db
def test_api_and_pages_show_the_illustrations(client: Client, clinic_content: None) -> None:
    exercise = client.get("/api/v1/exercises/glute-bridge").json()
    assert exercise["illustration"]["animated"]["url"].endswith(".webp")
    assert exercise["illustration"]["alt"] == POSE_FILES["glute-bridge"].description

    routine = client.get("/api/v1/routines/plantar-fasciitis-global-stabilization").json()
    assert all(item["exercise"]["illustration"]["still"]["url"] for item in routine["items"])

    page = client.get("/exercises/glute-bridge/").content.decode()
    assert '<source media="(prefers-reduced-motion: reduce)"' in page
    assert 'width="640" height="480"' in page
    assert exercise["illustration"]["animated"]["url"] in page

    page = client.get("/routines/plantar-fasciitis-global-stabilization/").content.decode()
    thumbs = re.findall(r'<img class="step-thumb"[^>]*>', page)
    assert len(thumbs) == len(routine["items"])
    assert all('width="96" height="72"' in t and 'alt="' in t for t in thumbs)
    assert ['loading="lazy"' in t for t in thumbs] == [i >= 2 for i in range(len(thumbs))]
