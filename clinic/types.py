"""Plain values passed from forms and the API to the services."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class DoseChange:
    exercise: str
    sets: int | None = None
    reps: int | None = None
    hold_seconds: int | None = None
