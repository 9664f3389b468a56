"""Content factories: small valid content files, overridable field by field.

Tests build exactly the content they need and load it through the real loader, instead
of leaning on one global fixture set.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

from library.content_files import content_read
from library.services import SyncReport, content_sync


def condition_data(slug: str = "heel-pain", **overrides: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "order": 1,
        "summary": "A sore heel.",
        "where_it_hurts": "Under the heel.",
        "symptom_questions": ["Do you hobble in the morning?"],
        "causes": ["Too much, too soon."],
        "red_flags": [{"text": "Numbness in the foot.", "urgency": "today"}],
        "treatments": [{"heading": "Pain management", "items": ["Ice"]}],
        "recovery": "Weeks to months.",
        "doctor_note": "See a sports medicine doctor before you start.",
    } | overrides


def exercise_data(slug: str = "calf-raise", **overrides: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "goal": "local-stabilization",
        "conditions": ["heel-pain"],
        "summary": "Strong calves.",
        "starting_position": "Stand tall.",
        "movement": "Rise up, lower down.",
        "cues": ["Slow down"],
        "dose": {"sets": 3, "reps": 12, "rest_seconds": 60},
        "progression": "One leg.",
        "regression": "Two legs.",
        "source": "Clinic practice",
    } | overrides


def routine_data(slug: str = "heel-routine", **overrides: Any) -> dict[str, Any]:
    return {
        "slug": slug,
        "title": slug.replace("-", " ").capitalize(),
        "order": 1,
        "summary": "For sore heels.",
        "conditions": ["heel-pain"],
        "phase": "local-stabilization",
        "frequency": "every day",
        "changelog": "First version.",
        "items": [{"exercise": "calf-raise"}],
    } | overrides


def write_file(root: Path, folder: str, data: dict[str, Any], body: str = "Some text.") -> Path:
    path = root / folder / f"{data['slug']}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"---\n{yaml.safe_dump(data, sort_keys=False)}---\n{body}\n")
    return path


def write_content(
    root: Path,
    *,
    conditions: list[dict[str, Any]] | None = None,
    exercises: list[dict[str, Any]] | None = None,
    routines: list[dict[str, Any]] | None = None,
) -> Path:
    """Write a content folder (one of each kind by default) and return it."""
    for folder, items, default in (
        ("conditions", conditions, condition_data),
        ("exercises", exercises, exercise_data),
        ("routines", routines, routine_data),
    ):
        for data in items if items is not None else [default()]:
            write_file(root, folder, data)
    return root


def load(root: Path) -> SyncReport:
    return content_sync(bundle=content_read(root=root))


def routine_with_items(root: Path, *, slug: str, count: int) -> None:
    """A routine of `count` distinct exercises, for checking queries don't grow with items."""
    exercises = [exercise_data(f"{slug}-move-{n}") for n in range(count)]
    for data in exercises:
        write_file(root, "exercises", data)
    items = [{"exercise": e["slug"]} for e in exercises]
    write_file(root, "routines", routine_data(slug, items=items))
