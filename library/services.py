"""Writes to the content library: syncing content/ into the database (`content_sync`, run by
`manage.py load_content`), publishing routine versions (`routine_publish`, used by the
sync, the admin and the clinic's publishing), the admin's edits (`content_edited`) and the
content release marker that versions cached pages and the app (`content_release_bump`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import IntegrityError, transaction
from pydantic import BaseModel

from footing.errors import Conflict, Invalid
from library.content_files import (
    MEASURES,
    ContentBundle,
    ExerciseDose,
    RoutineFile,
    render_markdown,
)
from library.models import (
    Condition,
    ContentRelease,
    Exercise,
    Routine,
    RoutineItem,
    RoutineVersion,
)
from library.versions import canonical_hash, routine_snapshot, snapshot_changes

FIRST_VERSION_CHANGELOG = "First version."


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    archived: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.archived or self.published)


def _source_hash(file: BaseModel) -> str:
    return canonical_hash(file.model_dump(mode="json"))


def _upsert[M: (Condition, Exercise, Routine)](
    model: type[M], *, slug: str, values: dict[str, Any], source_hash: str, report: SyncReport
) -> tuple[M, bool]:
    """Create or update by slug. Returns (row, written).

    A row whose file has not changed since the last load is not touched, even if it was
    edited in the clinic or the admin meanwhile: that edit stands until the file changes.
    """
    label = f"{model._meta.model_name} {slug}"
    instance = model._default_manager.filter(slug=slug).first()
    if instance is None:
        report.created.append(label)
        return model._default_manager.create(slug=slug, source_hash=source_hash, **values), True
    if instance.source_hash == source_hash and not instance.archived:
        return instance, False
    changed: list[str] = [
        name for name, value in values.items() if getattr(instance, name) != value
    ]
    for name in changed:
        setattr(instance, name, values[name])
    instance.source_hash = source_hash
    instance.save(update_fields=[*changed, "source_hash"])
    if changed:
        report.updated.append(label)
    return instance, True


def _set_conditions(instance: Exercise | Routine, slugs: list[str]) -> bool:
    current = set(instance.conditions.values_list("slug", flat=True))
    if current == set(slugs):
        return False
    instance.conditions.set(Condition.objects.filter(slug__in=slugs))
    return True


def _archive_missing(
    model: type[Condition | Exercise | Routine], keep: set[str], report: SyncReport
) -> None:
    live = model._default_manager.filter(archived=False)
    gone = list(live.exclude(slug__in=keep).values_list("slug", flat=True))
    if gone:
        report.archived += [f"{model._meta.model_name} {slug}" for slug in gone]
        model._default_manager.filter(slug__in=gone).update(archived=True)


def _sync_routine_items(routine: Routine, wanted: list[dict[str, Any]]) -> bool:
    current = list(
        RoutineItem.objects.filter(routine=routine)
        .order_by("position")
        .values(
            "exercise_id",
            "position",
            "sets",
            "reps",
            "hold_seconds",
            "minutes",
            "rest_seconds",
            "note",
        )
    )
    if current == wanted:
        return False
    RoutineItem.objects.filter(routine=routine).delete()
    RoutineItem.objects.bulk_create(RoutineItem(routine=routine, **row) for row in wanted)
    return True


def _sync_conditions(bundle: ContentBundle, report: SyncReport) -> None:
    for c in bundle.conditions:
        values = c.model_dump(exclude={"slug", "order", "body"})
        values |= {"position": c.order, "body_html": render_markdown(c.body), "archived": False}
        _upsert(Condition, slug=c.slug, values=values, source_hash=_source_hash(c), report=report)
    _archive_missing(Condition, {c.slug for c in bundle.conditions}, report)


def _sync_exercises(bundle: ContentBundle, report: SyncReport) -> dict[str, int]:
    ids: dict[str, int] = {}
    for e in bundle.exercises:
        values = e.model_dump(exclude={"slug", "body", "dose", "conditions"})
        values |= e.dose.model_dump()
        values |= {"body_html": render_markdown(e.body), "archived": False}
        exercise, written = _upsert(
            Exercise, slug=e.slug, values=values, source_hash=_source_hash(e), report=report
        )
        label = f"exercise {e.slug}"
        if written and _set_conditions(exercise, e.conditions) and label not in report.created:
            report.updated.append(f"{label} conditions")
        ids[e.slug] = exercise.pk
    _archive_missing(Exercise, set(ids), report)
    return ids


def _item_rows(
    routine: RoutineFile, exercise_ids: dict[str, int], defaults: dict[str, ExerciseDose]
) -> list[dict[str, Any]]:
    """The routine's items as rows; a dose the file leaves out is the exercise's default."""
    rows = []
    for position, item in enumerate(routine.items, start=1):
        dose = defaults[item.exercise]
        measure = item if any(getattr(item, m) is not None for m in MEASURES) else dose
        rows.append(
            {
                "exercise_id": exercise_ids[item.exercise],
                "position": position,
                "sets": item.sets if item.sets is not None else dose.sets,
                "reps": measure.reps,
                "hold_seconds": measure.hold_seconds,
                "minutes": measure.minutes,
                "rest_seconds": dose.rest_seconds
                if item.rest_seconds is None
                else item.rest_seconds,
                "note": item.note,
            }
        )
    return rows


def _portable(row: dict[str, Any], exercise_ids: dict[str, int]) -> dict[str, Any]:
    """A row with the exercise's slug for its database id (ids differ between databases)."""
    slugs = {pk: slug for slug, pk in exercise_ids.items()}
    return row | {"exercise_id": slugs[row["exercise_id"]]}


def _sync_routines(bundle: ContentBundle, exercise_ids: dict[str, int], report: SyncReport) -> None:
    defaults = {e.slug: e.dose for e in bundle.exercises}
    for r in bundle.routines:
        values = r.model_dump(include={"title", "summary", "phase", "frequency", "changelog"})
        values |= {"position": r.order, "body_html": render_markdown(r.body), "archived": False}
        rows = _item_rows(r, exercise_ids, defaults)
        # The doses a routine inherits from its exercises are part of what it says.
        source = canonical_hash(
            [r.model_dump(mode="json"), [_portable(row, exercise_ids) for row in rows]]
        )
        routine, written = _upsert(
            Routine, slug=r.slug, values=values, source_hash=source, report=report
        )
        if written:
            _set_conditions(routine, r.conditions)
            _sync_routine_items(routine, rows)
        # Checked for every routine: an exercise's new cues change the routines using it.
        # The file's changelog line belongs to a change of the file; otherwise the line
        # says what changed.
        version = routine_publish_if_changed(
            routine=routine, changelog=r.changelog if written else ""
        )
        if version is not None:
            report.published.append(f"{routine.slug} v{version.number}")
    _archive_missing(Routine, {r.slug for r in bundle.routines}, report)


def content_sync(*, bundle: ContentBundle) -> SyncReport:
    """Make the database match the content files, in one transaction.

    Keyed by slug; rows whose file did not change are not written; rows whose file is
    gone are archived; every routine whose playable content changed gets a new version.
    """
    report = SyncReport()
    with transaction.atomic():
        _sync_conditions(bundle, report)
        exercise_ids = _sync_exercises(bundle, report)
        _sync_routines(bundle, exercise_ids, report)
        if report.changed:
            content_release_bump(reason=report)
    return report


def _current_snapshot(routine: Routine) -> dict[str, Any]:
    items = list(
        RoutineItem.objects.filter(routine=routine).select_related("exercise").order_by("position")
    )
    return routine_snapshot(routine, items)


def routine_publish_if_changed(*, routine: Routine, changelog: str) -> RoutineVersion | None:
    """Publish the routine as it stands if that differs from its current version.

    The changelog is used when it is new; a changelog line the last version already
    carried would mislead, so then the line says what actually changed.
    """
    snapshot = _current_snapshot(routine)
    content_hash = canonical_hash(snapshot)
    current = routine.current_version
    if current is not None and current.content_hash == content_hash:
        return None
    if current is None:
        line = changelog or FIRST_VERSION_CHANGELOG
    elif changelog and changelog != current.changelog:
        line = changelog
    else:
        line = "; ".join(snapshot_changes(current.snapshot, snapshot)) or "Updated."
    return _publish(
        routine=routine, snapshot=snapshot, content_hash=content_hash, changelog=line[:300]
    )


def routine_publish(
    *, routine: Routine, changelog: str, expected_version: int | None = None
) -> RoutineVersion:
    """Publish the routine as version N+1. `expected_version` guards against two editors
    publishing at once: the second gets a Conflict instead of silently overwriting."""
    if not changelog.strip():
        raise Invalid("Say what changed in this version.", field="changelog")
    with transaction.atomic():
        locked = (
            Routine.objects.select_for_update(of=("self",))
            .select_related("current_version")
            .get(pk=routine.pk)
        )
        current_number = locked.current_version.number if locked.current_version else 0
        if expected_version is not None and expected_version != current_number:
            raise Conflict(
                f"Version {current_number} was published meanwhile; reload and publish again.",
                field="expected_version",
            )
        snapshot = _current_snapshot(locked)
        version = _publish(
            routine=locked,
            snapshot=snapshot,
            content_hash=canonical_hash(snapshot),
            changelog=changelog.strip()[:300],
        )
        content_release_bump(reason=f"publish {locked.slug} v{version.number}")
    return version


def _publish(
    *, routine: Routine, snapshot: dict[str, Any], content_hash: str, changelog: str
) -> RoutineVersion:
    number = (routine.current_version.number if routine.current_version else 0) + 1
    try:
        with transaction.atomic():
            version = RoutineVersion.objects.create(
                routine=routine,
                number=number,
                snapshot=snapshot,
                content_hash=content_hash,
                changelog=changelog,
            )
    except IntegrityError as error:
        raise Conflict(f"Version {number} of {routine.slug} was published meanwhile.") from error
    routine.current_version = version
    routine.save(update_fields=["current_version"])
    return version


def content_edited(
    *, routines: Iterable[Routine], reason: str, changelog: str = ""
) -> list[RoutineVersion]:
    """After an edit outside `content/` (the admin): republish the routines it touched
    and mark the content as changed."""
    with transaction.atomic():
        published = [
            version
            for routine in routines
            if (version := routine_publish_if_changed(routine=routine, changelog=changelog))
        ]
        content_release_bump(reason=reason)
    return published


def content_release_bump(*, reason: object) -> ContentRelease:
    """Record that the content changed: every content ETag and offline copy turns stale."""
    previous = (
        ContentRelease.objects.order_by("-id").values_list("version", flat=True).first() or ""
    )
    version = canonical_hash([previous, repr(reason)])[:16]
    return ContentRelease.objects.create(version=version)
