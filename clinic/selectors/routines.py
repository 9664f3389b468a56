"""The routine editor: the draft beside the published version, version diffs, and a
new row's default dose.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet

from clinic.types import DraftItem
from footing.errors import Invalid, NotFound
from library.models import Exercise, Routine, RoutineItem, RoutineVersion
from library.versions import dose_text, routine_snapshot, snapshot_changes


def routine_for_editing(*, slug: str) -> Routine:
    routine = (
        Routine.objects.filter(slug=slug, archived=False).select_related("current_version").first()
    )
    if routine is None:
        raise NotFound(f"No routine called {slug!r}.")
    return routine


def editable_routines() -> QuerySet[Routine]:
    return (
        Routine.objects.filter(archived=False).select_related("current_version").order_by("title")
    )


@dataclass(frozen=True)
class Editor:
    routine: Routine
    items: list[RoutineItem]
    exercises: list[Exercise]
    draft_changes: list[str]
    versions: list[RoutineVersion] = field(default_factory=list)

    @property
    def current(self) -> RoutineVersion | None:
        return self.routine.current_version


def routine_editor(*, slug: str) -> Editor:
    """The draft beside the published version, and what publishing now would change."""
    routine = routine_for_editing(slug=slug)
    items = list(
        RoutineItem.objects.filter(routine=routine).select_related("exercise").order_by("position")
    )
    draft = routine_snapshot(routine, items)
    current = routine.current_version
    changes = snapshot_changes(current.snapshot, draft) if current else ["First version"]
    return Editor(
        routine=routine,
        items=items,
        exercises=list(Exercise.objects.filter(archived=False).order_by("name")),
        draft_changes=changes,
        versions=list(RoutineVersion.objects.filter(routine=routine).order_by("-number")[:20]),
    )


@dataclass(frozen=True)
class VersionDiff:
    slug: str
    title: str
    old: RoutineVersion
    new: RoutineVersion
    changes: list[str]
    old_items: list[dict[str, Any]]
    new_items: list[dict[str, Any]]


def version_diff(*, slug: str, old: int, new: int) -> VersionDiff:
    found = {
        v.number: v
        for v in RoutineVersion.objects.filter(routine__slug=slug, number__in=[old, new])
    }
    for number in (old, new):
        if number not in found:
            raise NotFound(f"No version {number} of {slug!r}.")
    a, b = found[old], found[new]
    before = {i["exercise"]["slug"]: i for i in a.snapshot["items"]}
    return VersionDiff(
        slug=slug,
        title=b.snapshot["title"],
        old=a,
        new=b,
        changes=snapshot_changes(a.snapshot, b.snapshot),
        old_items=[i | {"dose": dose_text(i)} for i in a.snapshot["items"]],
        new_items=[
            i | {"dose": dose_text(i), "changed": _change(i, before)} for i in b.snapshot["items"]
        ],
    )


def _change(item: dict[str, Any], before: dict[str, dict[str, Any]]) -> str:
    """How an item of the newer version differs from the older one, in a word or two."""
    old = before.get(item["exercise"]["slug"])
    if old is None:
        return "new"
    if dose_text(old) != dose_text(item) or old["rest_seconds"] != item["rest_seconds"]:
        return "new dose"
    if old["note"] != item["note"] or old["exercise"] != item["exercise"]:
        return "updated"
    return ""


def exercise_default_item(*, slug: str) -> DraftItem:
    """A new editor row for an exercise, with the exercise's own default dose."""
    exercise = Exercise.objects.filter(slug=slug, archived=False).first()
    if exercise is None:
        raise Invalid(f"No exercise called {slug!r}.", field="add-exercise")
    return DraftItem(
        exercise=exercise.slug,
        sets=exercise.sets,
        reps=exercise.reps,
        hold_seconds=exercise.hold_seconds,
        minutes=exercise.minutes,
        rest_seconds=exercise.rest_seconds,
    )
