"""The clinic's routines: the library beside the clinic's own, the editor (draft beside
the published version, who it reaches), version diffs, and a new row's default dose.

A clinician sees the library (read-only) and their own clinic's routines; another
clinic's routine is "not found", whatever its slug. Reads of the library go through
`library.selectors`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from clinic.models import ClinicRoutine, Membership, Prescription
from clinic.permissions import clinic_routines_of
from footing.errors import Forbidden, Invalid, NotFound
from library import selectors as library
from library.doses import Dose
from library.drafts import LIBRARY_READ_ONLY
from library.types import DraftItem
from library.versions import (
    ShownItem,
    SnapshotItem,
    dose_of,
    items_shown,
    snapshot_changes,
    snapshot_of,
)

if TYPE_CHECKING:
    from library.models import Exercise, Routine, RoutineItem, RoutineVersion


@dataclass(frozen=True)
class RoutineLists:
    own: list[Routine]
    library: list[Routine]


def routine_lists(*, membership: Membership) -> RoutineLists:
    """The clinic's own routines (drafts too) and the library's published ones. One query."""
    routines = library.routines_for_staff(also=clinic_routines_of(membership=membership))
    own = [r for r in routines if r.kind == "clinic"]
    shared = [r for r in routines if r.kind == "library" and r.current_version_id is not None]
    return RoutineLists(own=own, library=shared)


def routine_for_staff(*, membership: Membership, slug: str) -> Routine:
    """A library routine or one of the clinic's own; anything else is not found."""
    return library.routine_get(slug=slug, also=clinic_routines_of(membership=membership))


def routine_for_editing(*, membership: Membership, slug: str) -> Routine:
    """One of the clinic's own routines. The library is read-only (Forbidden, saying how to
    change it); another clinic's routine is not found."""
    routine = routine_for_staff(membership=membership, slug=slug)
    if routine.kind != "clinic":
        raise Forbidden(LIBRARY_READ_ONLY)
    return routine


@dataclass(frozen=True)
class Reach:
    """Who a publish reaches: patients with the routine prescribed, and how many of them
    keep it saved on their phone (those copies refresh on their own)."""

    patients: int
    saved: int


def publish_reach(*, membership: Membership, routine: Routine) -> Reach:
    prescribed = Prescription.objects.filter(
        clinic=membership.clinic, routine=routine, active=True
    ).values("patient_id")
    return Reach(
        patients=prescribed.count(),
        saved=library.saved_counts(routine=routine, users=prescribed),
    )


@dataclass(frozen=True)
class Editor:
    routine: Routine
    items: list[RoutineItem]
    exercises: list[Exercise]
    draft_changes: list[str]
    reach: Reach
    versions: list[RoutineVersion] = field(default_factory=list)
    # A library routine opens read-only (its published items as shown), with the
    # clinic's copies of it.
    shown: list[ShownItem] = field(default_factory=list)
    copies: list[Routine] = field(default_factory=list)

    @property
    def current(self) -> RoutineVersion | None:
        return self.routine.current_version

    @property
    def editable(self) -> bool:
        return self.routine.kind == "clinic"

    @property
    def next_number(self) -> int:
        return (self.current.number if self.current else 0) + 1


def routine_editor(*, membership: Membership, slug: str) -> Editor:
    """The draft beside the published version, what publishing now would change, and who
    it would reach. A library routine comes read-only, with this clinic's copies of it."""
    routine = routine_for_staff(membership=membership, slug=slug)
    items = library.routine_draft(routine=routine)
    current = routine.current_version
    draft = library.routine_draft_snapshot(routine=routine)
    changes = snapshot_changes(snapshot_of(current.snapshot), draft) if current else []
    copies: list[Routine] = []
    if routine.kind == "library":
        copies = [
            owned.routine
            for owned in ClinicRoutine.objects.filter(
                clinic=membership.clinic, routine__copied_from=routine, routine__archived=False
            ).select_related("routine__current_version")
        ]
    return Editor(
        routine=routine,
        items=items,
        exercises=library.exercise_choices() if routine.kind == "clinic" else [],
        draft_changes=changes,
        reach=publish_reach(membership=membership, routine=routine),
        versions=library.routine_versions(routine=routine),
        shown=items_shown(snapshot_of(current.snapshot))
        if current and routine.kind == "library"
        else [],
        copies=copies,
    )


@dataclass(frozen=True)
class DiffItem:
    name: str
    dose: str
    changed: str = ""


@dataclass(frozen=True)
class VersionDiff:
    slug: str
    title: str
    old: RoutineVersion
    new: RoutineVersion
    changes: list[str]
    old_items: list[DiffItem]
    new_items: list[DiffItem]


def version_diff(*, membership: Membership, slug: str, old: int, new: int) -> VersionDiff:
    routine = routine_for_staff(membership=membership, slug=slug)
    found = library.routine_versions_pick(routine=routine, numbers=[old, new])
    for number in (old, new):
        if number not in found:
            raise NotFound(f"No version {number} of {slug!r}.")
    a, b = snapshot_of(found[old].snapshot), snapshot_of(found[new].snapshot)
    before = {i["exercise"]["slug"]: i for i in a["items"]}
    return VersionDiff(
        slug=slug,
        title=b["title"],
        old=found[old],
        new=found[new],
        changes=snapshot_changes(a, b),
        old_items=[DiffItem(i["exercise"]["name"], dose_of(i).text) for i in a["items"]],
        new_items=[
            DiffItem(i["exercise"]["name"], dose_of(i).text, _change(i, before)) for i in b["items"]
        ],
    )


def _change(item: SnapshotItem, before: dict[str, SnapshotItem]) -> str:
    """How an item of the newer version differs from the older one, in a word or two."""
    old = before.get(item["exercise"]["slug"])
    if old is None:
        return "new"
    if dose_of(old) != dose_of(item):
        return "new dose"
    if old["note"] != item["note"] or old["exercise"] != item["exercise"]:
        return "updated"
    return ""


def exercise_default_item(*, slug: str) -> DraftItem:
    """A new editor row for an exercise, with the exercise's own default dose."""
    try:
        exercise = library.exercise_get(slug=slug)
    except NotFound as error:
        raise Invalid(f"No exercise called {slug!r}.", field="add-exercise") from error
    dose = Dose.of(vars(exercise))
    return DraftItem(
        exercise=exercise.slug,
        sets=dose.sets,
        reps=dose.reps,
        hold_seconds=dose.hold_seconds,
        minutes=dose.minutes,
        rest_seconds=dose.rest_seconds,
    )


@dataclass(frozen=True)
class RoutineChoice:
    slug: str
    title: str
    own: bool


def prescribable_routines(*, membership: Membership) -> list[RoutineChoice]:
    """What the prescribing form offers: the clinic's own published routines first, then
    the library's, each labelled."""
    lists = routine_lists(membership=membership)
    own = [RoutineChoice(r.slug, r.title, True) for r in lists.own if r.current_version_id]
    shared = [RoutineChoice(r.slug, r.title, False) for r in lists.library]
    return own + shared
