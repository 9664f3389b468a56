"""A dose: how much of one exercise, with the one set of limits every entry point checks.

Content files, the clinic's routine editor, the API, a patient's own dose and published
snapshots all describe a dose the same way: sets, then exactly one measure (reps, a hold
in seconds, or minutes), then rest between sets. The limits are what a clinician could
reasonably prescribe (the clinic's content uses up to 10 sets, 20 reps, 45 s holds, 20
minutes and 2 minutes' rest), with room to spare; anything past them is a typing slip.
The loader's pydantic models, the API's schemas and the editor's inputs are all built
from `LIMITS`, so a routine that loads can always be saved again in the editor.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import Field

from footing.errors import Invalid

Measure = Literal["reps", "hold_seconds", "minutes"]
MEASURES: tuple[Measure, ...] = ("reps", "hold_seconds", "minutes")


@dataclass(frozen=True)
class Limit:
    low: int
    high: int
    # How the editor and error messages name the number.
    label: str

    def message(self) -> str:
        return f"{self.label} is between {self.low} and {self.high}."


LIMITS: dict[str, Limit] = {
    "sets": Limit(1, 20, "Sets"),
    "reps": Limit(1, 100, "Reps"),
    "hold_seconds": Limit(1, 300, "A hold (seconds)"),
    "minutes": Limit(1, 120, "Minutes"),
    "rest_seconds": Limit(0, 600, "Rest (seconds)"),
}


def _within(name: str) -> Any:
    """A whole number within the limit (strict: `true` or "7" is not a number of sets)."""
    return Field(strict=True, ge=LIMITS[name].low, le=LIMITS[name].high)


# The same limits as pydantic types, for the content files and the API's schemas (so
# OpenAPI states them too).
Sets = Annotated[int, _within("sets")]
Reps = Annotated[int, _within("reps")]
HoldSeconds = Annotated[int, _within("hold_seconds")]
Minutes = Annotated[int, _within("minutes")]
RestSeconds = Annotated[int, _within("rest_seconds")]

ONE_MEASURE = "Give exactly one of reps, a hold in seconds or minutes."


def measures_given(values: Mapping[str, Any] | object) -> list[Measure]:
    """Which measures a dose-like thing (a mapping or an object) has set."""
    if isinstance(values, Mapping):
        return [m for m in MEASURES if values.get(m) is not None]
    return [m for m in MEASURES if getattr(values, m, None) is not None]


def limit_check(name: str, value: int | None, *, field: str | None = None) -> None:
    """Refuse a number outside its limit, naming the field it came from."""
    limit = LIMITS[name]
    if value is not None and not limit.low <= value <= limit.high:
        raise Invalid(limit.message(), field=field or name)


@dataclass(frozen=True, kw_only=True)
class Dose:
    """A dose as stored and shown. Writes build it with `Dose.checked`; reading a
    published snapshot never raises, whatever limits applied when it was published."""

    sets: int
    reps: int | None = None
    hold_seconds: int | None = None
    minutes: int | None = None
    rest_seconds: int = 0

    @classmethod
    def checked(cls, *, where: str = "", **values: Any) -> Dose:
        """A dose from untrusted numbers, or `Invalid` naming the field (`items.2.sets`)."""
        dose = cls(**values)
        prefix = f"{where}." if where else ""
        if len(measures_given(dose)) != 1:
            raise Invalid(ONE_MEASURE, field=where or "measure")
        for name in ("sets", *MEASURES, "rest_seconds"):
            limit_check(name, getattr(dose, name), field=f"{prefix}{name}")
        return dose

    @classmethod
    def of(cls, values: Mapping[str, Any]) -> Dose:
        """The dose of a snapshot item, an exercise's defaults or any mapping with the keys."""
        return cls(
            sets=values["sets"],
            reps=values.get("reps"),
            hold_seconds=values.get("hold_seconds"),
            minutes=values.get("minutes"),
            rest_seconds=values.get("rest_seconds") or 0,
        )

    @property
    def measure(self) -> Measure:
        given = measures_given(self)
        return given[0] if given else "reps"

    @property
    def amount(self) -> int:
        value = getattr(self, self.measure)
        return value if isinstance(value, int) else 0

    @property
    def text(self) -> str:
        """'3 × 12', '10 × 10 s hold', '20 min': the dose as a runner reads it."""
        if self.minutes is not None:
            amount = f"{self.minutes} min"
            return amount if self.sets == 1 else f"{self.sets} × {amount}"
        if self.hold_seconds is not None:
            return f"{self.sets} × {self.hold_seconds} s hold"
        return f"{self.sets} × {self.reps}"

    def as_fields(self) -> dict[str, int | None]:
        return {
            "sets": self.sets,
            "reps": self.reps,
            "hold_seconds": self.hold_seconds,
            "minutes": self.minutes,
            "rest_seconds": self.rest_seconds,
        }
