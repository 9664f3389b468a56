"""Routine snapshots: what a published version holds, its hash, and what changed.

A snapshot is plain JSON so a phone can keep it offline and play it without asking the
server again; the hash makes "did anything change?" a string comparison.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from library.models import Routine, RoutineItem

Snapshot = dict[str, Any]


def canonical_hash(data: object) -> str:
    encoded = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(encoded.encode()).hexdigest()


def item_snapshot(item: RoutineItem) -> dict[str, Any]:
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


def dose_text(item: dict[str, Any]) -> str:
    """'3 × 12', '10 × 10 s hold', '20 min' — the dose as a runner reads it."""
    sets = item["sets"]
    if item.get("minutes"):
        amount = f"{item['minutes']} min"
        return amount if sets == 1 else f"{sets} × {amount}"
    if item.get("hold_seconds"):
        return f"{sets} × {item['hold_seconds']} s hold"
    return f"{sets} × {item['reps']}"


def snapshot_changes(old: Snapshot, new: Snapshot) -> list[str]:
    """Plain-language differences between two snapshots, for changelogs and the diff view."""
    changes: list[str] = []
    old_items = {i["exercise"]["slug"]: i for i in old.get("items", [])}
    new_items = {i["exercise"]["slug"]: i for i in new.get("items", [])}
    for slug, item in new_items.items():
        if slug not in old_items:
            changes.append(f"Added {item['exercise']['name']} ({dose_text(item)})")
    for slug, item in old_items.items():
        if slug not in new_items:
            changes.append(f"Removed {item['exercise']['name']}")
    for slug, item in new_items.items():
        before = old_items.get(slug)
        if before is None:
            continue
        name = item["exercise"]["name"]
        if dose_text(before) != dose_text(item):
            changes.append(f"{name}: {dose_text(before)} → {dose_text(item)}")
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
