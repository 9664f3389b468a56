"""Writes to the content library: the `load_content` sync (`content_sync`), the admin's
content edits (`content_edited`), publishing a version (`version_publish`, which
`library/drafts.py` uses for clinic routines) and the content release marker that versions
cached pages (`content_release_bump`). Library routines are the content files' alone:
nothing else writes them."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone
from pydantic import BaseModel

from footing.errors import Conflict
from library.content_files import (
    ContentBundle,
    ContentInvalid,
    ExerciseDose,
    Problem,
    RoutineFile,
    render_markdown,
)
from library.doses import MEASURES
from library.models import (
    Condition,
    ContentRelease,
    Exercise,
    Routine,
    RoutineItem,
    RoutineKind,
    RoutineVersion,
    SavedRoutine,
)
from library.selectors import NONE, RoutineIds, routine_draft_snapshot, visible_routines
from library.versions import Snapshot, canonical_hash, snapshot_changes

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

    A row whose file has not changed since the last load is not touched (nothing else
    writes library routines; an exercise or condition edited in the admin stands until
    its file changes).
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
    if model is Routine:
        # Clinics' own routines have no file: never archive them for it.
        live = Routine.objects.filter(archived=False, kind=RoutineKind.LIBRARY)
    gone = list(live.exclude(slug__in=keep).values_list("slug", flat=True))
    if gone:
        report.archived += [f"{model._meta.model_name} {slug}" for slug in gone]
        live.filter(slug__in=gone).update(archived=True)


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


def routine_file_items(
    routine: RoutineFile, defaults: dict[str, ExerciseDose]
) -> list[dict[str, Any]]:
    """The routine file's items as rows keyed by exercise slug; a dose the file leaves out
    is the exercise's default. (Also what the clinic-routines data migration compares
    a routine's edits with.)"""
    rows = []
    for position, item in enumerate(routine.items, start=1):
        dose = defaults[item.exercise]
        measure = item if any(getattr(item, m) is not None for m in MEASURES) else dose
        rows.append(
            {
                "exercise": item.exercise,
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


def _with_ids(rows: list[dict[str, Any]], exercise_ids: dict[str, int]) -> list[dict[str, Any]]:
    return [
        {"exercise_id": exercise_ids[row["exercise"]]}
        | {k: v for k, v in row.items() if k != "exercise"}
        for row in rows
    ]


def _portable(row: dict[str, Any]) -> dict[str, Any]:
    """The row as the source hash has always read it (the slug under `exercise_id`)."""
    return {"exercise_id": row["exercise"]} | {k: v for k, v in row.items() if k != "exercise"}


def _sync_routines(bundle: ContentBundle, exercise_ids: dict[str, int], report: SyncReport) -> None:
    defaults = {e.slug: e.dose for e in bundle.exercises}
    for r in bundle.routines:
        values = r.model_dump(include={"title", "summary", "phase", "frequency", "changelog"})
        values |= {"position": r.order, "body_html": render_markdown(r.body), "archived": False}
        rows = routine_file_items(r, defaults)
        # The doses a routine inherits from its exercises are part of what it says.
        source = canonical_hash([r.model_dump(mode="json"), [_portable(row) for row in rows]])
        routine, written = _upsert(
            Routine, slug=r.slug, values=values, source_hash=source, report=report
        )
        if written:
            _set_conditions(routine, r.conditions)
            _sync_routine_items(routine, _with_ids(rows, exercise_ids))
        # Checked for every routine: an exercise's new cues change the routines using it.
        # The file's changelog line belongs to a change of the file; otherwise the line
        # says what changed.
        version = routine_publish_if_changed(
            routine=routine, changelog=r.changelog if written else ""
        )
        if version is not None:
            report.published.append(f"{routine.slug} v{version.number}")
    _archive_missing(Routine, {r.slug for r in bundle.routines}, report)


def _check_slugs_free(bundle: ContentBundle) -> None:
    """A routine file may not take the slug of a clinic's own routine: loading it would
    hand that clinic's routine to the library (and to every runner)."""
    taken = set(
        Routine.objects.filter(
            kind=RoutineKind.CLINIC, slug__in=[r.slug for r in bundle.routines]
        ).values_list("slug", flat=True)
    )
    if taken:
        reason = "is already the slug of a clinic's own routine; give the file another slug"
        raise ContentInvalid(
            [Problem(f"content/routines/{slug}.md", "slug", reason) for slug in sorted(taken)]
        )


def content_sync(*, bundle: ContentBundle) -> SyncReport:
    """Make the database match the content files, in one transaction.

    Keyed by slug; rows whose file did not change are not written; rows whose file is
    gone are archived; every routine whose playable content changed gets a new version.
    """
    report = SyncReport()
    _check_slugs_free(bundle)
    with transaction.atomic():
        _sync_conditions(bundle, report)
        exercise_ids = _sync_exercises(bundle, report)
        _sync_routines(bundle, exercise_ids, report)
        if report.changed:
            content_release_bump(reason=report)
    return report


def routine_publish_if_changed(*, routine: Routine, changelog: str) -> RoutineVersion | None:
    """Publish the routine as it stands if that differs from its current version.

    The changelog is used when it is new; a changelog line the last version already
    carried would mislead, so then the line says what actually changed.
    """
    snapshot = routine_draft_snapshot(routine=routine)
    current = routine.current_version
    if current is not None and current.content_hash == canonical_hash(snapshot):
        return None
    if current is None:
        line = changelog or FIRST_VERSION_CHANGELOG
    elif changelog and changelog != current.changelog:
        line = changelog
    else:
        line = "; ".join(snapshot_changes(current.snapshot, snapshot)) or "Updated."
    return version_publish(routine=routine, snapshot=snapshot, changelog=line[:300])


def version_publish(
    *, routine: Routine, snapshot: Snapshot, changelog: str, by: User | None = None
) -> RoutineVersion:
    """Make `snapshot` the routine's next version. The caller holds the transaction (and,
    for an editor's publish, the routine's row lock)."""
    number = (routine.current_version.number if routine.current_version else 0) + 1
    try:
        with transaction.atomic():
            version = RoutineVersion.objects.create(
                routine=routine,
                number=number,
                snapshot=snapshot,
                content_hash=canonical_hash(snapshot),
                changelog=changelog,
                published_by=by,
            )
    except IntegrityError as error:
        raise Conflict(f"Version {number} of {routine.slug} was published meanwhile.") from error
    routine.current_version = version
    routine.save(update_fields=["current_version"])
    return version


def content_edited(
    *, routines: Iterable[Routine], reason: str, changelog: str = ""
) -> list[RoutineVersion]:
    """After an edit outside `content/` (the admin): republish the library routines it
    touched and mark the content as changed. A clinic's own routine is never published
    behind its back (its draft may hold unfinished work): the clinic sees the change in
    its editor and publishes when it chooses."""
    with transaction.atomic():
        published = [
            version
            for routine in routines
            if routine.kind == RoutineKind.LIBRARY
            and (version := routine_publish_if_changed(routine=routine, changelog=changelog))
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


def saved_routines_record(*, user: User, held: dict[str, int], also: RoutineIds = NONE) -> None:
    """Remember which routines this person's phone keeps, as its sync just said: the
    clinic's publish screen counts who will get an update on their own. Writes only what
    changed, so a sync that reports the same copies again costs two reads."""
    routines = dict(visible_routines(also=also).filter(slug__in=held).values_list("slug", "pk"))
    wanted = {routines[slug]: number for slug, number in held.items() if slug in routines}
    known = dict(SavedRoutine.objects.filter(user=user).values_list("routine_id", "version"))
    gone = [pk for pk in known if pk not in wanted]
    if gone:
        SavedRoutine.objects.filter(user=user, routine_id__in=gone).delete()
    now = timezone.now()
    for routine_id, number in wanted.items():
        if known.get(routine_id) != number:
            SavedRoutine.objects.update_or_create(
                user=user, routine_id=routine_id, defaults={"version": number, "reported_at": now}
            )


def saved_routine_add(*, user: User, slug: str, version: int, also: RoutineIds = NONE) -> None:
    """The phone is saving this routine for offline now (it asked for its manifest)."""
    routine = visible_routines(also=also).filter(slug=slug).first()
    if routine is not None:
        SavedRoutine.objects.update_or_create(
            user=user, routine=routine, defaults={"version": version, "reported_at": timezone.now()}
        )
