from __future__ import annotations

from pathlib import Path

import pytest

from library.content_files import ContentInvalid, content_read
from tests.factories import condition_data, exercise_data, routine_data, write_content, write_file


def test_the_clinics_content_is_valid_and_complete() -> None:
    from django.conf import settings

    bundle = content_read(root=settings.CONTENT_DIR)

    assert [c.slug for c in sorted(bundle.conditions, key=lambda c: c.order)] == [
        "plantar-fasciitis",
        "metatarsalgia",
        "fat-pad-syndrome",
        "posterior-compartment-syndrome",
        "stress-fracture",
    ]
    assert len(bundle.exercises) >= 24
    assert {e.goal for e in bundle.exercises} == {
        "pain-management",
        "local-stabilization",
        "global-stabilization",
        "cross-training",
    }
    assert len(bundle.routines) >= 7
    doctor_first = [c.slug for c in bundle.conditions if c.doctor_first]
    assert doctor_first == ["posterior-compartment-syndrome"]
    assert not [r.slug for r in bundle.routines if set(r.conditions) & set(doctor_first)]
    pf_phases = {r.phase for r in bundle.routines if "plantar-fasciitis" in r.conditions}
    assert {"pain-management", "local-stabilization", "global-stabilization"} <= pf_phases


# Each broken file, and the file / field / reason the clinic is told.
BROKEN = [
    pytest.param(
        "conditions",
        condition_data(summary=""),
        "heel-pain.md",
        "summary",
        "at least 1 character",
        id="empty-summary",
    ),
    pytest.param(
        "conditions",
        condition_data(red_flags=[{"text": "Numb", "urgency": "later"}]),
        "heel-pain.md",
        "red_flags.0.urgency",
        "'emergency' or 'today'",
        id="bad-urgency",
    ),
    pytest.param(
        "conditions",
        condition_data(doctor_note="Rest a bit."),
        "heel-pain.md",
        "(file)",
        "sports medicine doctor",
        id="no-doctor-advice",
    ),
    pytest.param(
        "conditions",
        condition_data(colour="red"),
        "heel-pain.md",
        "colour",
        "Extra inputs",
        id="unknown-field",
    ),
    pytest.param(
        "exercises",
        exercise_data(goal="flexibility"),
        "calf-raise.md",
        "goal",
        "'pain-management'",
        id="unknown-goal",
    ),
    pytest.param(
        "exercises",
        exercise_data(dose={"sets": 3, "reps": 10, "hold_seconds": 5}),
        "calf-raise.md",
        "dose",
        "exactly one of reps, hold_seconds or minutes",
        id="two-measures",
    ),
    pytest.param(
        "exercises",
        exercise_data(dose={"sets": 0, "reps": 10}),
        "calf-raise.md",
        "dose.sets",
        "greater than or equal to 1",
        id="zero-sets",
    ),
    pytest.param(
        "exercises",
        exercise_data(conditions=["knee-pain"]),
        "calf-raise.md",
        "conditions.0",
        "unknown condition 'knee-pain'",
        id="unknown-condition",
    ),
    pytest.param(
        "routines",
        routine_data(items=[{"exercise": "hop"}]),
        "heel-routine.md",
        "items.0.exercise",
        "unknown exercise 'hop'",
        id="unknown-exercise",
    ),
    pytest.param(
        "routines",
        routine_data(items=[]),
        "heel-routine.md",
        "items",
        "at least 1 item",
        id="no-items",
    ),
    pytest.param(
        "routines",
        routine_data(slug="Heel Routine"),
        "Heel Routine.md",
        "slug",
        "should match pattern",
        id="bad-slug",
    ),
]


@pytest.mark.parametrize(("folder", "data", "file", "field", "reason"), BROKEN)
def test_a_broken_file_is_named_with_its_field_and_reason(
    content_root: Path, folder: str, data: dict, file: str, field: str, reason: str
) -> None:
    write_file(content_root, folder, data)
    with pytest.raises(ContentInvalid) as caught:
        content_read(root=content_root)

    problems = [p for p in caught.value.problems if p.file.endswith(f"{folder}/{file}")]
    assert problems, caught.value.message
    assert problems[0].field == field
    assert reason in problems[0].reason
    assert f"{folder}/{file}: {field}:" in caught.value.message


def test_doctor_first_conditions_never_get_routines(tmp_path: Path) -> None:
    root = write_content(
        tmp_path,
        conditions=[condition_data(doctor_first=True)],
        exercises=[exercise_data(conditions=[])],
    )
    with pytest.raises(ContentInvalid) as caught:
        content_read(root=root)

    assert caught.value.problems[0].field == "conditions.0"
    assert "doctor-first" in caught.value.problems[0].reason


@pytest.mark.parametrize(
    ("text", "field", "reason"),
    [
        ("no front matter here", "(file)", "front matter"),
        ("---\nslug: [unclosed\n---\n", "line 2", "not valid YAML"),
        ("---\n- a list\n---\n", "(front matter)", "field: value"),
    ],
)
def test_unreadable_files_are_reported(
    content_root: Path, text: str, field: str, reason: str
) -> None:
    (content_root / "conditions" / "broken.md").write_text(text)

    with pytest.raises(ContentInvalid) as caught:
        content_read(root=content_root)

    problem = caught.value.problems[0]
    assert (problem.file, problem.field) == ("content/conditions/broken.md", field)
    assert reason in problem.reason


def test_the_file_name_must_be_the_slug(content_root: Path) -> None:
    (content_root / "exercises" / "calf-raise.md").rename(content_root / "exercises" / "raise.md")

    with pytest.raises(ContentInvalid) as caught:
        content_read(root=content_root)

    assert (
        str(caught.value.problems[0])
        == "content/exercises/raise.md: slug: must match the file name ('raise')"
    )
