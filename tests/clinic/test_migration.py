"""The data migration from today's shape: a clinic's in-place edits of a library routine
move to that clinic's own copy, and the library routine returns to its file."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from clinic.models import ClinicRoutine, Prescription
from library.models import Routine, RoutineKind
from tests.factories import exercise_data, load, routine_data, write_content

BEFORE = [("clinic", "0001_initial"), ("library", "0003_content_source_hash")]

pytestmark = pytest.mark.django_db(transaction=True)


def _migrate(targets: list[tuple[str, str]] | None = None) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets or executor.loader.graph.leaf_nodes())
    return executor.loader.project_state(targets).apps if targets else None


@pytest.fixture
def content(tmp_path: Path, settings: Any) -> Path:
    root = write_content(
        tmp_path / "content",
        exercises=[exercise_data("calf-raise"), exercise_data("arch-lift")],
        routines=[
            routine_data(items=[{"exercise": "calf-raise"}]),
            routine_data("arch-routine", items=[{"exercise": "arch-lift"}]),
        ],
    )
    settings.CONTENT_DIR = root
    load(root)
    return root


def _old_world(apps: Any, *, prescribed_by: list[str]) -> dict[str, Any]:
    """Today's shape: two clinics with staff, a patient each, and clinic North's edit of
    the library routine published as v2 (5 sets), with a draft of 6 sets on top."""
    User = apps.get_model("auth", "User")
    Clinic = apps.get_model("clinic", "Clinic")
    Membership = apps.get_model("clinic", "Membership")
    Prescription = apps.get_model("clinic", "Prescription")
    Routine = apps.get_model("library", "Routine")
    RoutineVersion = apps.get_model("library", "RoutineVersion")

    clinics = {
        slug: Clinic.objects.create(slug=slug, name=slug.title()) for slug in ("north", "south")
    }
    patients = {}
    for slug, clinic in clinics.items():
        staff = User.objects.create(username=f"dr-{slug}")
        Membership.objects.create(user=staff, clinic=clinic, role="clinician")
        patients[slug] = User.objects.create(username=f"pat-{slug}")
        Membership.objects.create(user=patients[slug], clinic=clinic, role="patient")
    routine = Routine.objects.get(slug="heel-routine")
    for slug in prescribed_by:
        Prescription.objects.create(
            clinic=clinics[slug], patient=patients[slug], routine=routine, days_per_week=3
        )
    # South's patient has the other, unedited routine prescribed.
    Prescription.objects.create(
        clinic=clinics["south"],
        patient=patients["south"],
        routine=Routine.objects.get(slug="arch-routine"),
        days_per_week=2,
    )
    v1 = routine.current_version
    edited = dict(v1.snapshot)
    edited["items"] = [dict(i) | {"sets": 5} for i in v1.snapshot["items"]]
    v2 = RoutineVersion.objects.create(
        routine=routine, number=2, snapshot=edited, content_hash="x" * 64, changelog="North: 5 sets"
    )
    routine.current_version = v2
    routine.save(update_fields=["current_version"])
    routine.items.update(sets=6)
    return {"patients": patients}


def test_an_edit_moves_to_the_prescribing_clinics_copy_and_the_library_returns(
    content: Path,
) -> None:
    _old_world(_migrate(BEFORE), prescribed_by=["north"])

    _migrate()

    library = Routine.objects.get(slug="heel-routine")
    assert library.kind == RoutineKind.LIBRARY
    assert list(library.items.values_list("sets", flat=True)) == [3]
    version = library.current_version
    assert (version.number, version.changelog) == (3, "Back to the library's own version (as v1).")
    assert version.snapshot == library.versions.get(number=1).snapshot

    (owned,) = ClinicRoutine.objects.select_related("routine", "clinic")
    copy = owned.routine
    assert (owned.clinic.slug, copy.slug, copy.kind) == ("north", "north-heel-routine", "clinic")
    assert (copy.copied_from, copy.copied_from_version) == (library, 2)
    assert copy.current_version.number == 1
    assert copy.current_version.snapshot["items"][0]["sets"] == 5  # what the patient had
    assert copy.current_version.snapshot["slug"] == "north-heel-routine"
    assert list(copy.items.values_list("sets", flat=True)) == [6]  # the unpublished draft
    prescription = Prescription.objects.get(patient__username="pat-north")
    assert (prescription.routine, prescription.seen_version) == (copy, 1)
    # Nothing published before is "updated" news for anyone.
    assert Prescription.objects.get(patient__username="pat-south").seen_version == 1
    # The untouched routine stayed as it was.
    assert Routine.objects.get(slug="arch-routine").current_version.number == 1

    # The next load finds the library routine already back to its file.
    assert load(content).published == []


def test_an_edit_nobody_prescribes_goes_to_every_clinic_with_staff(content: Path) -> None:
    _old_world(_migrate(BEFORE), prescribed_by=[])

    _migrate()

    owners = sorted(ClinicRoutine.objects.values_list("clinic__slug", "routine__slug"))
    assert owners == [("north", "north-heel-routine"), ("south", "south-heel-routine")]
    assert Routine.objects.get(slug="heel-routine").current_version.number == 3


def test_an_unedited_library_is_left_alone(content: Path) -> None:
    _migrate(BEFORE)

    _migrate()

    assert not ClinicRoutine.objects.exists()
    assert list(Routine.objects.values_list("slug", "current_version__number")) == [
        ("arch-routine", 1),
        ("heel-routine", 1),
    ]
