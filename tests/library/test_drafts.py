"""Clinic routines in the library: copies, drafts and publishing that cannot cross."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest
from django.contrib.auth.models import User
from django.db import connection

from footing.errors import Conflict, Forbidden, Invalid, NotFound
from library import selectors
from library.drafts import (
    free_slug,
    routine_copy,
    routine_create,
    routine_draft_save,
    routine_publish,
)
from library.models import Routine, RoutineKind, RoutineVersion
from library.types import DraftItem
from tests.factories import (
    condition_data,
    exercise_data,
    load,
    routine_data,
    write_content,
)

pytestmark = pytest.mark.django_db

CALF = DraftItem(exercise="calf-raise", sets=4, reps=10, rest_seconds=90)
ARCH = DraftItem(exercise="arch-lift", sets=2, hold_seconds=8)


@pytest.fixture
def library(tmp_path: Path) -> Routine:
    load(
        write_content(
            tmp_path / "content",
            conditions=[condition_data(), condition_data("calf-ache", doctor_first=True)],
            exercises=[
                exercise_data(),
                exercise_data("arch-lift", dose={"sets": 2, "hold_seconds": 5}),
            ],
            routines=[routine_data(items=[{"exercise": "calf-raise"}])],
        )
    )
    return Routine.objects.select_related("current_version").get(slug="heel-routine")


@pytest.fixture
def copy(library: Routine, staff_user: User) -> Routine:
    return routine_copy(source=library, slug="north-heel-routine", by=staff_user)


def test_a_copy_is_the_clinics_own_with_its_own_history(
    library: Routine, copy: Routine, staff_user: User
) -> None:
    version = copy.current_version
    assert (copy.kind, copy.slug, copy.copied_from, copy.copied_from_version) == (
        RoutineKind.CLINIC,
        "north-heel-routine",
        library,
        1,
    )
    assert (version.number, version.changelog, version.published_by) == (
        1,
        "Copied from Heel routine v1.",
        staff_user,
    )
    assert version.snapshot["items"] == library.current_version.snapshot["items"]
    assert version.snapshot["slug"] == "north-heel-routine"
    assert [c.slug for c in copy.conditions.all()] == ["heel-pain"]
    # The library is untouched.
    assert library.versions.count() == 1


def test_only_a_published_library_routine_can_be_copied(copy: Routine, staff_user: User) -> None:
    with pytest.raises(Invalid):
        routine_copy(source=copy, slug="copy-of-a-copy", by=staff_user)


def test_slugs_never_collide(copy: Routine) -> None:
    assert free_slug("north-heel-routine") == "north-heel-routine-2"
    assert free_slug("Heel Routine") == "heel-routine-2"
    long = free_slug("x" * 80)
    assert len(long) == 50
    Routine.objects.filter(pk=copy.pk).update(slug="x" * 50)
    assert free_slug("x" * 80) == "x" * 48 + "-2"


def test_library_routines_are_read_only(library: Routine, staff_user: User) -> None:
    with pytest.raises(Forbidden, match="copy it to your clinic"):
        routine_draft_save(
            routine=library, items=[CALF], expected_version=1, expected_revision=0, by=staff_user
        )
    with pytest.raises(Forbidden):
        routine_publish(
            routine=library,
            changelog="Harder",
            items=[CALF],
            expected_version=1,
            expected_revision=0,
            by=staff_user,
        )
    assert library.versions.count() == 1
    assert list(library.items.values_list("sets", flat=True)) == [3]


def test_a_draft_is_invisible_until_published(copy: Routine, staff_user: User) -> None:
    routine_draft_save(
        routine=copy, items=[CALF, ARCH], expected_version=1, expected_revision=0, by=staff_user
    )
    copy.refresh_from_db()
    assert copy.draft_revision == 1
    assert copy.current_version.number == 1
    assert len(copy.current_version.snapshot["items"]) == 1

    version = routine_publish(
        routine=copy, changelog="Harder", expected_version=1, expected_revision=1, by=staff_user
    )
    assert [i["exercise"]["slug"] for i in version.snapshot["items"]] == ["calf-raise", "arch-lift"]
    assert (version.number, version.published_by) == (2, staff_user)


def test_saving_over_a_colleagues_draft_says_who_and_when(
    copy: Routine, staff_user: User, colleague: User
) -> None:
    routine_draft_save(
        routine=copy, items=[ARCH], expected_version=1, expected_revision=0, by=colleague
    )

    with pytest.raises(Conflict, match=r"dr-colleague saved this draft at \d\d:\d\d") as error:
        routine_draft_save(
            routine=copy, items=[CALF], expected_version=1, expected_revision=0, by=staff_user
        )

    assert error.value.field == "draft_revision"
    assert [i.exercise.slug for i in Routine.objects.get(pk=copy.pk).items.all()] == ["arch-lift"]


def test_publishing_over_a_newer_version_says_who_published_what(
    copy: Routine, staff_user: User, colleague: User
) -> None:
    routine_publish(
        routine=copy,
        changelog="Fewer reps",
        items=[CALF],
        expected_version=1,
        expected_revision=0,
        by=colleague,
    )

    for attempt in (routine_publish, routine_draft_save):
        kwargs = {"changelog": "Mine"} if attempt is routine_publish else {}
        with pytest.raises(Conflict) as error:
            attempt(
                routine=copy,
                items=[ARCH],
                expected_version=1,
                expected_revision=1,
                by=staff_user,
                **kwargs,
            )
        message = error.value.message
        assert "dr-colleague published version 2" in message
        assert "“Fewer reps”" in message
        assert error.value.field == "expected_version"
    assert copy.versions.count() == 2
    assert [i.exercise.slug for i in Routine.objects.get(pk=copy.pk).items.all()] == ["calf-raise"]


def test_publish_needs_a_changelog_and_a_change(copy: Routine, staff_user: User) -> None:
    for line in ("", "   ", "x" * 301):
        with pytest.raises(Invalid) as error:
            routine_publish(
                routine=copy,
                changelog=line,
                items=[CALF],
                expected_version=1,
                expected_revision=0,
                by=staff_user,
            )
        assert error.value.field == "changelog"
    with pytest.raises(Invalid, match="same as version 1"):
        routine_publish(
            routine=copy, changelog="Again", expected_version=1, expected_revision=0, by=staff_user
        )
    assert copy.versions.count() == 1


@pytest.mark.parametrize(
    ("items", "field"),
    [
        ([], "items"),
        ([DraftItem(exercise="nope", sets=3, reps=10)], "items.0.exercise"),
        ([CALF, CALF], "items.1.exercise"),
        ([CALF, DraftItem(exercise="arch-lift", sets=0, reps=10)], "items.1.sets"),
        ([DraftItem(exercise="calf-raise", sets=3, reps=10, hold_seconds=5)], "items.0"),
        ([DraftItem(exercise="calf-raise", sets=3)], "items.0"),
        (
            [DraftItem(exercise="calf-raise", sets=3, reps=10, rest_seconds=601)],
            "items.0.rest_seconds",
        ),
        ([DraftItem(exercise="calf-raise", sets=3, reps=10, note="x" * 301)], "items.0.note"),
    ],
)
def test_a_bad_draft_is_refused_naming_the_field_and_nothing_changes(
    copy: Routine, staff_user: User, items: list[DraftItem], field: str
) -> None:
    with pytest.raises(Invalid) as error:
        routine_draft_save(
            routine=copy, items=items, expected_version=1, expected_revision=0, by=staff_user
        )
    assert error.value.field == field
    copy.refresh_from_db()
    assert copy.draft_revision == 0
    assert list(copy.items.values_list("sets", flat=True)) == [3]


def test_a_routine_built_from_exercises_starts_as_a_draft(
    staff_user: User, library: Routine
) -> None:
    routine = routine_create(
        slug="north-arch-work",
        title="Arch work",
        summary="Short and often.",
        phase="local-stabilization",
        frequency="every day",
        conditions=["heel-pain"],
        items=[ARCH],
        by=staff_user,
    )

    assert (routine.kind, routine.current_version, routine.draft_revision) == ("clinic", None, 1)
    with pytest.raises(Conflict, match="no version 1"):
        routine_publish(
            routine=routine, changelog="x", expected_version=1, expected_revision=1, by=staff_user
        )
    version = routine_publish(
        routine=routine,
        changelog="First version.",
        expected_version=0,
        expected_revision=1,
        by=staff_user,
    )
    assert version.number == 1


def test_a_doctor_first_condition_never_gets_a_routine(staff_user: User, library: Routine) -> None:
    with pytest.raises(Invalid, match="doctor-first") as error:
        routine_create(
            slug="calf",
            title="Calf work",
            summary="",
            phase="local-stabilization",
            frequency="",
            conditions=["calf-ache"],
            items=[CALF],
            by=staff_user,
        )
    assert error.value.field == "conditions"
    assert not Routine.objects.filter(kind=RoutineKind.CLINIC).exists()


def test_library_reads_show_a_clinic_routine_only_when_asked(copy: Routine) -> None:
    assert [r.slug for r in selectors.routine_list()] == ["heel-routine"]
    with pytest.raises(NotFound):
        selectors.routine_version_get(slug=copy.slug)
    assert selectors.routine_version_get(slug=copy.slug, also=[copy.pk]).routine == copy
    mine = Routine.objects.filter(pk=copy.pk).values_list("pk", flat=True)
    assert {r.slug for r in selectors.routine_list(also=mine)} == {"heel-routine", copy.slug}
    condition = selectors.condition_get(slug="heel-pain")
    assert [r.slug for r in condition.routines.all()] == ["heel-routine"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("write", ["publish", "draft"])
def test_two_at_once_one_wins_the_other_is_told_why(tmp_path: Path, write: str) -> None:
    """Two clinicians who both opened v1 press Publish (or Save) at the same instant: one
    write lands, the other is a Conflict naming the winner. Real threads on their own
    connections: SQLite's test database is a file, and PostgreSQL runs it too (row lock)."""
    load(write_content(tmp_path / "content", exercises=[exercise_data()]))
    a = User.objects.create_user("dr-a")
    b = User.objects.create_user("dr-b")
    copy = routine_copy(source=Routine.objects.get(slug="heel-routine"), slug="mine", by=a)
    barrier = threading.Barrier(2)
    outcomes: dict[str, object] = {}

    def act(user: User, sets: int) -> None:
        item = DraftItem(exercise="calf-raise", sets=sets, reps=10)
        barrier.wait()
        try:
            if write == "publish":
                outcomes[user.username] = routine_publish(
                    routine=copy,
                    changelog=f"{sets} sets",
                    items=[item],
                    expected_version=1,
                    expected_revision=0,
                    by=user,
                ).number
            else:
                outcomes[user.username] = routine_draft_save(
                    routine=copy, items=[item], expected_version=1, expected_revision=0, by=user
                ).draft_revision
        except Conflict as error:
            outcomes[user.username] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=act, args=(u, n)) for u, n in ((a, 4), (b, 5))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    conflicts = {who: o for who, o in outcomes.items() if isinstance(o, Conflict)}
    assert len(conflicts) == 1, outcomes
    (loser,) = conflicts
    winner = "dr-b" if loser == "dr-a" else "dr-a"
    assert outcomes[winner] == (2 if write == "publish" else 1)
    assert winner in conflicts[loser].message
    expected_versions = [1, 2] if write == "publish" else [1]
    assert (
        list(RoutineVersion.objects.filter(routine=copy).values_list("number", flat=True))
        == expected_versions
    )
