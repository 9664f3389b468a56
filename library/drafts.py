"""Writes to clinic routines: a copy of a library routine, a routine built from
exercises, its draft, and publishing it as a version.

Library routines are read-only here (they are the content files'). A clinic routine's
items are its draft. Every write says which published version it started from
(`expected_version`) and which draft revision it saw (`expected_revision`); anything
newer by someone else is a Conflict that says who did what and when, never a silent
overwrite. The routine's row is locked while it is checked and written, so of two
editors pressing Save or Publish at the same moment exactly one wins.

Which clinic owns a routine is not recorded here (the library sits below the clinic):
`clinic.services` checks that first and calls these.
"""

from __future__ import annotations

from datetime import datetime

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from footing.dates import clock, dated
from footing.errors import Conflict, Forbidden, Invalid
from library.models import (
    Condition,
    Exercise,
    Phase,
    Routine,
    RoutineItem,
    RoutineKind,
    RoutineVersion,
)
from library.selectors import routine_draft_snapshot
from library.services import content_release_bump, version_publish
from library.types import DraftItem
from library.versions import canonical_hash, snapshot_of

LIBRARY_READ_ONLY = (
    "Library routines come from the clinic's content files and cannot be edited here: "
    "copy it to your clinic to change it."
)
MAX_ITEMS = 60
SLUG_LENGTH = 50


def _when(moment: datetime) -> str:
    return f"{clock(moment)} on {dated(moment)}"


def _who(user: User | None) -> str:
    return user.get_username() if user is not None else "The clinic's content"


def free_slug(wanted: str) -> str:
    """`wanted` as a slug no routine has (cut to fit, then -2, -3 … if taken)."""
    base = slugify(wanted)[:SLUG_LENGTH].strip("-") or "routine"
    taken = set(Routine.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    candidate, n = base, 1
    while candidate in taken:
        n += 1
        suffix = f"-{n}"
        candidate = base[: SLUG_LENGTH - len(suffix)].strip("-") + suffix
    return candidate


def _lock(routine: Routine) -> Routine:
    """The routine's row, locked until the transaction ends; library routines refused."""
    # Wait for the lock first, then read in a statement of its own: on PostgreSQL a locking
    # read that waited re-reads the locked row but not the rows it joins, so the version a
    # concurrent publisher just committed would be missing from it.
    Routine.objects.select_for_update().filter(pk=routine.pk).values_list("pk", flat=True).get()
    locked = Routine.objects.select_related("current_version__published_by", "draft_saved_by").get(
        pk=routine.pk
    )
    if locked.kind != RoutineKind.CLINIC:
        raise Forbidden(LIBRARY_READ_ONLY)
    return locked


def _check_base(routine: Routine, expected_version: int, expected_revision: int) -> None:
    """Refuse a write based on anything older than what is there now, saying why."""
    current = routine.current_version
    number = current.number if current is not None else 0
    if expected_version != number and current is not None:
        raise Conflict(
            f"{_who(current.published_by)} published version {number} at "
            f"{_when(current.published_at)} (“{current.changelog}”) after you opened "
            f"version {expected_version}. Reload to see it, then make your change again.",
            field="expected_version",
        )
    if expected_version != number:
        raise Conflict(
            f"This routine has no version {expected_version} yet. Reload it.",
            field="expected_version",
        )
    if expected_revision != routine.draft_revision:
        who = _who(routine.draft_saved_by) if routine.draft_saved_by else "A colleague"
        when = f" at {_when(routine.draft_saved_at)}" if routine.draft_saved_at else ""
        raise Conflict(
            f"{who} saved this draft{when} after you opened it. Reload to see their "
            "changes, then make yours again.",
            field="draft_revision",
        )


def _item_rows(items: list[DraftItem]) -> list[RoutineItem]:
    """The draft's rows, every dose checked against the one set of limits."""
    if not items:
        raise Invalid("A routine needs at least one exercise.", field="items")
    if len(items) > MAX_ITEMS:
        raise Invalid(f"A routine holds at most {MAX_ITEMS} exercises.", field="items")
    slugs = [item.exercise for item in items]
    exercises = dict(
        Exercise.objects.filter(slug__in=slugs, archived=False).values_list("slug", "pk")
    )
    rows, seen = [], set()
    for number, item in enumerate(items):
        where = f"items.{number}"
        if item.exercise not in exercises:
            raise Invalid(f"No exercise called {item.exercise!r}.", field=f"{where}.exercise")
        if item.exercise in seen:
            raise Invalid("Each exercise can appear once in a routine.", field=f"{where}.exercise")
        seen.add(item.exercise)
        note = item.note.strip()
        if len(note) > 300:
            raise Invalid("A note is at most 300 characters.", field=f"{where}.note")
        rows.append(
            RoutineItem(
                exercise_id=exercises[item.exercise],
                position=number + 1,
                note=note,
                **item.dose(where=where).as_fields(),
            )
        )
    return rows


def _replace_items(routine: Routine, rows: list[RoutineItem], by: User) -> None:
    RoutineItem.objects.filter(routine=routine).delete()
    for row in rows:
        row.routine = routine
    RoutineItem.objects.bulk_create(rows)
    routine.draft_revision += 1
    routine.draft_saved_at = timezone.now()
    routine.draft_saved_by = by
    routine.save(update_fields=["draft_revision", "draft_saved_at", "draft_saved_by"])


def routine_copy(*, source: Routine, slug: str, by: User) -> Routine:
    """A clinic's own copy of a library routine's current version, published as its v1
    ("Copied from … v3") so it can be prescribed at once; its draft starts the same."""
    version = source.current_version
    if source.kind != RoutineKind.LIBRARY or source.archived or version is None:
        raise Invalid("Only a published library routine can be copied.", field="routine")
    snapshot = snapshot_of(version.snapshot)
    exercises = dict(
        Exercise.objects.filter(
            slug__in=[i["exercise"]["slug"] for i in snapshot["items"]]
        ).values_list("slug", "pk")
    )
    with transaction.atomic():
        copy = Routine.objects.create(
            slug=free_slug(slug),
            kind=RoutineKind.CLINIC,
            copied_from=source,
            copied_from_version=version.number,
            title=source.title,
            position=source.position,
            summary=source.summary,
            phase=source.phase,
            frequency=source.frequency,
            body_html=source.body_html,
            draft_saved_at=timezone.now(),
            draft_saved_by=by,
        )
        copy.conditions.set(source.conditions.all())
        RoutineItem.objects.bulk_create(
            RoutineItem(
                routine=copy,
                exercise_id=exercises[item["exercise"]["slug"]],
                position=item["position"],
                sets=item["sets"],
                reps=item["reps"],
                hold_seconds=item["hold_seconds"],
                minutes=item["minutes"],
                rest_seconds=item["rest_seconds"],
                note=item["note"],
            )
            for item in snapshot["items"]
        )
        version_publish(
            routine=copy,
            snapshot=routine_draft_snapshot(routine=copy),
            changelog=f"Copied from {snapshot['title']} v{version.number}."[:300],
            by=by,
        )
        content_release_bump(reason=f"copy {source.slug} v{version.number} as {copy.slug}")
    return copy


def routine_create(
    *,
    slug: str,
    title: str,
    summary: str,
    phase: str,
    frequency: str,
    conditions: list[str],
    items: list[DraftItem],
    by: User,
) -> Routine:
    """A clinic routine built from exercises. It is a draft until it is published."""
    title, summary, frequency = title.strip(), summary.strip(), frequency.strip()
    if not title:
        raise Invalid("Give the routine a title.", field="title")
    if len(title) > 120:
        raise Invalid("A title is at most 120 characters.", field="title")
    if len(frequency) > 100:
        raise Invalid("How often is at most 100 characters.", field="frequency")
    if phase not in Phase.values:
        raise Invalid(f"{phase!r} is not a phase.", field="phase")
    found = list(Condition.objects.filter(slug__in=conditions, archived=False))
    if not conditions or len(found) != len(set(conditions)):
        raise Invalid("Choose the condition(s) the routine is for.", field="conditions")
    if any(c.doctor_first for c in found):
        raise Invalid(
            "A doctor-first condition never gets a routine: see a sports medicine doctor.",
            field="conditions",
        )
    rows = _item_rows(items)
    with transaction.atomic():
        routine = Routine.objects.create(
            slug=free_slug(slug or title),
            kind=RoutineKind.CLINIC,
            title=title,
            summary=summary,
            phase=phase,
            frequency=frequency,
        )
        routine.conditions.set(found)
        _replace_items(routine, rows, by)
    return routine


def routine_draft_save(
    *,
    routine: Routine,
    items: list[DraftItem],
    expected_version: int,
    expected_revision: int,
    by: User,
) -> Routine:
    """Replace the draft's items (order = list order). Patients see nothing until it is
    published."""
    rows = _item_rows(items)
    with transaction.atomic():
        locked = _lock(routine)
        _check_base(locked, expected_version, expected_revision)
        _replace_items(locked, rows, by)
    return locked


def routine_publish(
    *,
    routine: Routine,
    changelog: str,
    expected_version: int,
    expected_revision: int,
    by: User,
    items: list[DraftItem] | None = None,
) -> RoutineVersion:
    """Publish the draft (after replacing it with `items`, if given) as version N+1.

    All or nothing: a refused publish leaves the draft as it was.
    """
    line = changelog.strip()
    if not line:
        raise Invalid("Say what changed in this version.", field="changelog")
    if len(line) > 300:
        raise Invalid("Say what changed in at most 300 characters.", field="changelog")
    rows = _item_rows(items) if items is not None else None
    with transaction.atomic():
        locked = _lock(routine)
        _check_base(locked, expected_version, expected_revision)
        if rows is not None:
            _replace_items(locked, rows, by)
        snapshot = routine_draft_snapshot(routine=locked)
        if not snapshot["items"]:
            raise Invalid("A routine needs at least one exercise.", field="items")
        current = locked.current_version
        if current is not None and current.content_hash == canonical_hash(snapshot):
            raise Invalid(
                f"The draft is the same as version {current.number}: change something first.",
                field="items",
            )
        version = version_publish(routine=locked, snapshot=snapshot, changelog=line, by=by)
        content_release_bump(reason=f"publish {locked.slug} v{version.number}")
    return version
