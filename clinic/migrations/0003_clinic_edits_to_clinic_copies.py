"""Clinic edits of library routines move to clinic-owned copies; the library routine
returns to its content file.

Before this, any clinician could edit and publish a library routine in place, and the
edit reached every clinic's patients and every anonymous runner. A library routine
counts as edited when its published items or its draft differ from what its file says.
The edit then moves to a copy owned by each clinic that prescribes the routine (so no
patient's routine changes under them: their prescriptions move to their clinic's copy,
which starts at v1 holding exactly what they had). Nothing recorded who pressed Publish
before now, so when no clinic prescribes it the copy goes to every clinic with staff:
each can keep or archive it, and none saw anything it could not see before.

The library routine then gets its file's items back and, when an earlier version of it
matches the file, that version is published again as the next one; otherwise the next
`load_content` (which `make run` runs after migrating) publishes it. Its history keeps
every version, so a patient's past sessions still point at what they played.

Every existing prescription counts its patient as told about the versions published so
far: "Your routine was updated" is for what is published from now on.

Reversing it puts prescriptions back on the library routine and archives the copies.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import migrations
from django.utils import timezone

from library.content_files import ContentInvalid, content_read
from library.services import routine_file_items

ITEM_KEYS = ("position", "sets", "reps", "hold_seconds", "minutes", "rest_seconds", "note")


def _hash(data: object) -> str:
    encoded = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _file_items() -> dict[str, list[dict[str, Any]]]:
    """Each routine file's items (slug → rows), read by the loader's own parser."""
    try:
        bundle = content_read(root=Path(settings.CONTENT_DIR))
    except ContentInvalid as error:
        raise RuntimeError(
            "This migration compares each library routine with its content file, and the "
            f"content has problems: fix them first.\n{error.message}"
        ) from error
    defaults = {e.slug: e.dose for e in bundle.exercises}
    return {r.slug: routine_file_items(r, defaults) for r in bundle.routines}


def _rows_of_snapshot(snapshot: dict[str, Any]) -> list[dict[str, Any]]:
    return [
        {"exercise": i["exercise"]["slug"], **{k: i[k] for k in ITEM_KEYS}}
        for i in snapshot.get("items", [])
    ]


def _rows_of_draft(routine: Any) -> list[dict[str, Any]]:
    return [
        {"exercise": item.exercise.slug, **{k: getattr(item, k) for k in ITEM_KEYS}}
        for item in routine.items.select_related("exercise").order_by("position")
    ]


def _free_slug(Routine: Any, wanted: str) -> str:
    base = wanted[:50].strip("-")
    candidate, n = base, 1
    while Routine.objects.filter(slug=candidate).exists():
        n += 1
        candidate = f"{base[: 50 - len(str(n)) - 1].strip('-')}-{n}"
    return candidate


def forwards(apps: Any, schema_editor: Any) -> None:
    Routine = apps.get_model("library", "Routine")
    if not Routine.objects.exists():
        return  # a fresh database: nothing was ever edited
    RoutineItem = apps.get_model("library", "RoutineItem")
    RoutineVersion = apps.get_model("library", "RoutineVersion")
    Exercise = apps.get_model("library", "Exercise")
    ContentRelease = apps.get_model("library", "ContentRelease")
    Clinic = apps.get_model("clinic", "Clinic")
    ClinicRoutine = apps.get_model("clinic", "ClinicRoutine")
    Prescription = apps.get_model("clinic", "Prescription")

    # Every patient has been told about the versions published so far: "Your routine was
    # updated" is for what comes after this.
    for prescription in Prescription.objects.select_related("routine__current_version"):
        current = prescription.routine.current_version
        if current is not None:
            prescription.seen_version = current.number
            prescription.save(update_fields=["seen_version"])

    files = _file_items()
    staffed = list(Clinic.objects.filter(memberships__role="clinician").distinct())
    moved = []
    for routine in Routine.objects.filter(kind="library").select_related("current_version"):
        wanted = files.get(routine.slug)
        current = routine.current_version
        if wanted is None or current is None:
            continue  # no file (archived) or never published: nothing to compare with
        draft = _rows_of_draft(routine)
        if _rows_of_snapshot(current.snapshot) == wanted and draft == wanted:
            continue
        prescribing = list(Clinic.objects.filter(prescriptions__routine=routine).distinct())
        for clinic in prescribing or staffed:
            copy = Routine.objects.create(
                slug=_free_slug(Routine, f"{clinic.slug}-{routine.slug}"),
                kind="clinic",
                copied_from=routine,
                copied_from_version=current.number,
                title=routine.title,
                position=routine.position,
                summary=routine.summary,
                phase=routine.phase,
                frequency=routine.frequency,
                body_html=routine.body_html,
                draft_saved_at=timezone.now(),
            )
            copy.conditions.set(routine.conditions.all())
            RoutineItem.objects.bulk_create(
                RoutineItem(
                    routine=copy,
                    exercise_id=item.exercise_id,
                    **{k: getattr(item, k) for k in ITEM_KEYS},
                )
                for item in routine.items.all()
            )
            snapshot = dict(current.snapshot) | {"slug": copy.slug}
            version = RoutineVersion.objects.create(
                routine=copy,
                number=1,
                snapshot=snapshot,
                content_hash=_hash(snapshot),
                changelog=(
                    f"Copied from {routine.title} v{current.number}, keeping the changes "
                    "made in the clinic's editor before each clinic had its own routines."
                )[:300],
            )
            copy.current_version = version
            copy.save(update_fields=["current_version"])
            ClinicRoutine.objects.create(clinic=clinic, routine=copy)
            Prescription.objects.filter(clinic=clinic, routine=routine).update(
                routine=copy, seen_version=1
            )
        _back_to_file(routine, wanted, Exercise, RoutineItem, RoutineVersion)
        moved.append(routine.slug)
    if moved:
        previous = ContentRelease.objects.order_by("-id").values_list("version", flat=True)
        ContentRelease.objects.create(
            version=_hash([previous.first() or "", f"clinic copies of {moved}"])[:16]
        )


def _back_to_file(
    routine: Any, wanted: list[dict[str, Any]], Exercise: Any, RoutineItem: Any, RoutineVersion: Any
) -> None:
    ids = dict(
        Exercise.objects.filter(slug__in=[r["exercise"] for r in wanted]).values_list("slug", "pk")
    )
    RoutineItem.objects.filter(routine=routine).delete()
    RoutineItem.objects.bulk_create(
        RoutineItem(
            routine=routine, exercise_id=ids[row["exercise"]], **{k: row[k] for k in ITEM_KEYS}
        )
        for row in wanted
        if row["exercise"] in ids
    )
    # The next load_content rewrites the row from its file whatever it holds now.
    routine.source_hash = ""
    routine.save(update_fields=["source_hash"])
    match = next(
        (
            v
            for v in RoutineVersion.objects.filter(routine=routine).order_by("-number")
            if _rows_of_snapshot(v.snapshot) == wanted
        ),
        None,
    )
    current = routine.current_version
    if match is None or match.pk == current.pk:
        return
    version = RoutineVersion.objects.create(
        routine=routine,
        number=current.number + 1,
        snapshot=match.snapshot,
        content_hash=match.content_hash,
        changelog=f"Back to the library's own version (as v{match.number}).",
    )
    routine.current_version = version
    routine.save(update_fields=["current_version"])


def backwards(apps: Any, schema_editor: Any) -> None:
    ClinicRoutine = apps.get_model("clinic", "ClinicRoutine")
    Prescription = apps.get_model("clinic", "Prescription")
    for owned in ClinicRoutine.objects.select_related("routine"):
        copy = owned.routine
        if copy.copied_from_id is not None:
            Prescription.objects.filter(routine=copy).update(routine_id=copy.copied_from_id)
        copy.archived = True
        copy.save(update_fields=["archived"])


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0002_clinic_routines"),
        ("library", "0004_clinic_routines"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
