"""The times a person may tell Footing: with a zone, from 2000 on, at most a day ahead.

Phones send the moments they recorded (a check-in's answer, a session's start and end).
A time without a zone cannot be placed on anyone's calendar; one from year 1 or year 9999
overflows the date arithmetic of every page that shows it. So every write path refuses
them with the field's name, through these functions, and the database refuses them too
(`in_bounds_constraint`), so no other path can store one.

The upper bound is relative to the server's clock (a day of slack for phones whose clock
or zone is off). A database CHECK cannot say "now" (SQLite forbids non-deterministic
functions there), so the tables hold a fixed ceiling that no page's arithmetic overflows,
and the services hold the relative one.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from django.db import models

from footing.errors import Invalid

EARLIEST = datetime(2000, 1, 1, tzinfo=UTC)
EARLIEST_DAY = EARLIEST.date()
# How far past the server's now a phone may be (its clock, or its zone's date line).
AHEAD = timedelta(days=1)
# What the tables accept at most: far beyond any honest value, far below an overflow.
CEILING = datetime(2100, 1, 1, tzinfo=UTC)
CEILING_DAY = CEILING.date()


def latest(*, now: datetime) -> datetime:
    return now + AHEAD


def time_checked(value: datetime, *, field: str, now: datetime) -> datetime:
    """`value` if it has a zone and lies in bounds; else Invalid naming `field`."""
    if value.tzinfo is None or value.utcoffset() is None:
        raise Invalid("The time needs a time zone (e.g. 2026-12-01T07:30:00+01:00).", field=field)
    if value < EARLIEST:
        raise Invalid(f"The time is before {EARLIEST_DAY.isoformat()}.", field=field)
    if value > latest(now=now):
        raise Invalid("The time is in the future (more than a day ahead).", field=field)
    return value


def day_checked(value: date, *, field: str, now: datetime) -> date:
    """`value` if it lies between 2000-01-01 and a day past now (anywhere on Earth)."""
    if value < EARLIEST_DAY:
        raise Invalid(f"The date is before {EARLIEST_DAY.isoformat()}.", field=field)
    if value > latest(now=now).date():
        raise Invalid("The date is in the future (more than a day ahead).", field=field)
    return value


def in_bounds_constraint(field: str, *, name: str, day: bool = False) -> models.CheckConstraint:
    """The table's own guard for a date (`day`) or a moment column."""
    low, high = (EARLIEST_DAY, CEILING_DAY) if day else (EARLIEST, CEILING)
    return models.CheckConstraint(
        name=name, condition=models.Q(**{f"{field}__gte": low, f"{field}__lt": high})
    )
