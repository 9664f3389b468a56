"""Routine snapshots: what a published version holds, its hash, how it is shown, and
what changed between two of them.

A snapshot is plain JSON so a phone can keep it offline and play it without asking the
server again; the hash makes "did anything change?" a string comparison. Its shape is the
`Snapshot` TypedDict below: every reader goes through these types, so a key renamed here
is a type error everywhere it is read, not a KeyError on a patient's phone. Adding a key
changes every routine's hash (and so publishes a new version of each): do it on purpose.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any, TypedDict, cast

from library.doses import Dose
from library.illustrations.lookup import exercise_illustration
from library.models import Routine, RoutineItem


class SnapshotExercise(TypedDict):
    slug: str
    name: str
    goal: str
    summary: str
    cues: list[str]
    per_side: bool
    tempo: str
    equipment: list[str]


class SnapshotItem(TypedDict):
    position: int
    exercise: SnapshotExercise
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    rest_seconds: int
    note: str


class SnapshotCondition(TypedDict):
    slug: str
    name: str


class Snapshot(TypedDict):
    slug: str
    title: str
    summary: str
    phase: str
    frequency: str
    body_html: str
    conditions: list[SnapshotCondition]
    items: list[SnapshotItem]


class ShownExercise(SnapshotExercise):
    # Added when shown, never stored: a redrawn picture must not publish a new version.
    illustration: dict[str, Any] | None


class ShownItem(TypedDict):
    """A snapshot item as the routine page, the player and the API show it."""

    position: int
    exercise: ShownExercise
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    rest_seconds: int
    note: str
    dose: str


def snapshot_of(data: object) -> Snapshot:
    """A stored snapshot (a JSONField's value) as its type. Snapshots are only ever
    written by `routine_snapshot`, so the shape is known."""
    return cast(Snapshot, data)


def canonical_hash(data: object) -> str:
    encoded = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def item_snapshot(item: RoutineItem) -> SnapshotItem:
    exercise = item.exercise
    return {
        "position": item.position,
        "exercise": {
            "slug": exercise.slug,
            "name": exercise.name,
            "goal": exercise.goal,
            "summary": exercise.summary,
            "cues": exercise.cues,
            "per_side": exercise.per_side,
            "tempo": exercise.tempo,
            "equipment": exercise.equipment,
        },
        "sets": item.sets,
        "reps": item.reps,
        "hold_seconds": item.hold_seconds,
        "minutes": item.minutes,
        "rest_seconds": item.rest_seconds,
        "note": item.note,
    }


def routine_snapshot(routine: Routine, items: list[RoutineItem]) -> Snapshot:
    """`items` are passed in (with exercises loaded) so the caller controls the queries."""
    return {
        "slug": routine.slug,
        "title": routine.title,
        "summary": routine.summary,
        "phase": routine.phase,
        "frequency": routine.frequency,
        "body_html": routine.body_html,
        "conditions": [{"slug": c.slug, "name": c.name} for c in routine.conditions.all()],
        "items": [item_snapshot(item) for item in items],
    }


def dose_of(item: SnapshotItem | ShownItem) -> Dose:
    return Dose.of(cast(dict[str, Any], item))


def item_shown(item: SnapshotItem) -> ShownItem:
    """One item as shown: its dose in words and its exercise's illustration."""
    found = exercise_illustration(slug=item["exercise"]["slug"])
    exercise: ShownExercise = {
        **item["exercise"],
        "illustration": found.as_dict() if found else None,
    }
    return {**item, "exercise": exercise, "dose": dose_of(item).text}


def items_shown(snapshot: Snapshot) -> list[ShownItem]:
    """A version's items as the routine page, the player and the API all show them."""
    return [item_shown(item) for item in snapshot["items"]]


def snapshot_changes(old: Snapshot, new: Snapshot) -> list[str]:
    """Plain-language differences between two snapshots, for changelogs and the diff view."""
    changes: list[str] = []
    old_items = {i["exercise"]["slug"]: i for i in old.get("items", [])}
    new_items = {i["exercise"]["slug"]: i for i in new.get("items", [])}
    for slug, item in new_items.items():
        if slug not in old_items:
            changes.append(f"Added {item['exercise']['name']} ({dose_of(item).text})")
    for slug, item in old_items.items():
        if slug not in new_items:
            changes.append(f"Removed {item['exercise']['name']}")
    for slug, item in new_items.items():
        before = old_items.get(slug)
        if before is None:
            continue
        name = item["exercise"]["name"]
        if dose_of(before).text != dose_of(item).text:
            changes.append(f"{name}: {dose_of(before).text} → {dose_of(item).text}")
        if before["rest_seconds"] != item["rest_seconds"]:
            changes.append(f"{name}: rest {before['rest_seconds']} s → {item['rest_seconds']} s")
        if before["note"] != item["note"]:
            changes.append(f"{name}: new note")
        if before["exercise"] != item["exercise"]:
            changes.append(f"{name}: instructions updated")
    kept_old = [s for s in old_items if s in new_items]
    kept_new = [s for s in new_items if s in old_items]
    if kept_old != kept_new:
        changes.append("Exercises reordered")
    for key, label in (("title", "Title"), ("summary", "Summary"), ("body_html", "Guidance")):
        if old.get(key) != new.get(key):
            changes.append(f"{label} updated")
    return changes
