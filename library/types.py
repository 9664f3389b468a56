"""Plain values passed from forms and the API to the library's services."""

from __future__ import annotations

from dataclasses import dataclass

from library.doses import Dose


@dataclass(frozen=True, kw_only=True)
class DraftItem:
    """One row of a clinic routine's draft, as an editor sent it (not yet checked)."""

    exercise: str
    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    rest_seconds: int = 0
    note: str = ""

    def dose(self, *, where: str = "") -> Dose:
        """The row's dose, checked against the one set of limits (`Invalid` names the
        field, e.g. `items.2.rest_seconds`)."""
        return Dose.checked(
            where=where,
            sets=self.sets,
            reps=self.reps,
            hold_seconds=self.hold_seconds,
            minutes=self.minutes,
            rest_seconds=self.rest_seconds,
        )
