from __future__ import annotations

from pathlib import Path

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from library.content_files import ContentInvalid
from library.drafts import routine_copy
from library.models import Condition, ContentRelease, Exercise, Routine, RoutineVersion
from library.selectors import content_version
from tests.factories import (
    condition_data,
    exercise_data,
    load,
    routine_data,
    write_content,
    write_file,
)

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def test_first_load_creates_everything_and_publishes_version_1(content_root: Path) -> None:
    report = load(content_root)

    routine = Routine.objects.get(slug="heel-routine")
    assert routine.current_version.number == 1
    assert routine.current_version.changelog == "First version."
    assert routine.current_version.snapshot["items"][0]["exercise"]["slug"] == "calf-raise"
    assert report.published == ["heel-routine v1"]
    assert ContentRelease.objects.count() == 1


def test_a_second_load_writes_nothing(content_root: Path) -> None:
    load(content_root)
    version = content_version()

    with CaptureQueriesContext(connection) as queries:
        report = load(content_root)

    assert not report.changed
    assert not [q["sql"] for q in queries if q["sql"].lstrip().upper().startswith(WRITES)]
    assert content_version() == version


def test_a_changed_routine_gets_a_new_version_with_its_changelog(content_root: Path) -> None:
    load(content_root)
    write_file(
        content_root,
        "routines",
        routine_data(items=[{"exercise": "calf-raise", "sets": 4}], changelog="Four sets now."),
    )

    report = load(content_root)

    versions = list(
        RoutineVersion.objects.filter(routine__slug="heel-routine").values_list(
            "number", "changelog"
        )
    )
    assert versions == [(1, "First version."), (2, "Four sets now.")]
    assert report.published == ["heel-routine v2"]


def test_a_change_without_a_new_changelog_line_says_what_changed(content_root: Path) -> None:
    load(content_root)
    write_file(
        content_root, "exercises", exercise_data(dose={"sets": 3, "reps": 15, "rest_seconds": 60})
    )

    load(content_root)

    assert Routine.objects.get().current_version.changelog == "Calf raise: 3 × 12 → 3 × 15"


def test_published_versions_never_change(content_root: Path) -> None:
    load(content_root)
    first = RoutineVersion.objects.get(number=1)
    write_file(content_root, "exercises", exercise_data(cues=["New cue"]))

    load(content_root)

    first.refresh_from_db()
    assert first.snapshot["items"][0]["exercise"]["cues"] == ["Slow down"]
    assert Routine.objects.get().current_version.snapshot["items"][0]["exercise"]["cues"] == [
        "New cue"
    ]


def test_a_bad_file_changes_nothing(content_root: Path) -> None:
    load(content_root)
    write_file(content_root, "exercises", exercise_data(name="Renamed"))
    write_file(content_root, "routines", routine_data("broken", items=[{"exercise": "missing"}]))

    with pytest.raises(ContentInvalid):
        load(content_root)

    assert Exercise.objects.get().name == "Calf raise"
    assert not Routine.objects.filter(slug="broken").exists()
    assert ContentRelease.objects.count() == 1


def test_a_removed_file_is_archived_not_deleted(content_root: Path) -> None:
    write_file(content_root, "conditions", condition_data("toe-pain", order=2))
    load(content_root)
    (content_root / "conditions" / "toe-pain.md").unlink()

    report = load(content_root)

    assert Condition.objects.get(slug="toe-pain").archived
    assert report.archived == ["condition toe-pain"]


def test_item_dose_defaults_to_the_exercise_and_can_be_overridden(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        exercises=[exercise_data(), exercise_data("stretch", dose={"sets": 2, "hold_seconds": 30})],
        routines=[
            routine_data(items=[{"exercise": "calf-raise", "reps": 8}, {"exercise": "stretch"}])
        ],
    )

    load(root)

    items = Routine.objects.get().current_version.snapshot["items"]
    assert [(i["sets"], i["reps"], i["hold_seconds"], i["rest_seconds"]) for i in items] == [
        (3, 8, None, 60),
        (2, None, 30, 0),
    ]


def test_a_clinic_copy_keeps_its_own_versions_when_the_file_changes(
    content_root: Path, staff_user
) -> None:
    load(content_root)
    library = Routine.objects.get()
    copy = routine_copy(source=library, slug="north-heel-routine", by=staff_user)
    write_file(
        content_root,
        "routines",
        routine_data(items=[{"exercise": "calf-raise", "sets": 2}], changelog="Two sets now."),
    )

    report = load(content_root)

    library.refresh_from_db()
    copy.refresh_from_db()
    assert report.published == ["heel-routine v2"]
    assert (library.current_version.number, library.current_version.changelog) == (
        2,
        "Two sets now.",
    )
    assert copy.current_version.number == 1
    assert copy.current_version.snapshot["items"][0]["sets"] == 3
    assert list(copy.items.values_list("sets", flat=True)) == [3]
    assert not copy.archived  # it has no file, and needs none


def test_a_routine_file_cannot_take_a_clinic_routines_slug(content_root: Path, staff_user) -> None:
    load(content_root)
    routine_copy(source=Routine.objects.get(), slug="north-heel-routine", by=staff_user)
    write_file(content_root, "routines", routine_data("north-heel-routine"))

    with pytest.raises(ContentInvalid, match=r"north-heel-routine\.md: slug: is already the slug"):
        load(content_root)

    assert Routine.objects.get(slug="north-heel-routine").kind == "clinic"


def test_an_exercise_change_republishes_with_what_changed_not_an_old_changelog_line(
    content_root: Path,
) -> None:
    load(content_root)
    write_file(content_root, "exercises", exercise_data(cues=["Slower on the way down"]))

    load(content_root)

    version = Routine.objects.get().current_version
    assert version.number == 2
    assert version.changelog == "Calf raise: instructions updated"
