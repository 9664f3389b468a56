"""When a reminder is due, as pure functions of the person's local wall clock.

A reminder set for 07:00 is due from 07:00 until 09:00 that same local day: a server
that was down at 07:00 sends it once when it is back (the notice's key, one per person
and day, makes it once), and after 09:00 it is skipped — "how were your first steps?"
at lunchtime helps nobody. The window never crosses midnight: a 23:30 reminder is due
until 24:00. Wall-clock times make DST simple: on the morning clocks jump from 02:00 to
03:00, a 02:30 reminder is due at 03:00.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

LATE_BY_AT_MOST = timedelta(hours=2)
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def window_end(at: time) -> time:
    """The last moment (exclusive) a reminder set for `at` is still sent."""
    end = datetime.combine(date.min, at) + LATE_BY_AT_MOST
    return time.max if end.date() > date.min else end.time()


def due(*, local_now: datetime, at: time) -> bool:
    now = local_now.time().replace(tzinfo=None)
    return at <= now < window_end(at)


def window_start(*, local_now: datetime) -> time:
    """The earliest reminder time still due at `local_now` (same local day)."""
    start = local_now.replace(tzinfo=None) - LATE_BY_AT_MOST
    if start.date() < local_now.date():
        return time.min
    # Strictly later than now - 2 h: a 07:00 reminder is no longer due at 09:00.
    return (start + timedelta(microseconds=1)).time()


def expires(*, local_now: datetime, at: time) -> datetime:
    """When a reminder made now stops being worth showing (its window's end), aware."""
    end = window_end(at)
    if end == time.max:
        return datetime.combine(local_now.date() + timedelta(days=1), time.min, local_now.tzinfo)
    return datetime.combine(local_now.date(), end, local_now.tzinfo)


def weekday_on(weekdays: int, day: date) -> bool:
    return bool(weekdays >> day.weekday() & 1)


# Default routine days for "N days a week": spread out, rest days between, weekends free
# until the count needs them.
SPREAD = {
    1: (2,),
    2: (1, 4),
    3: (0, 2, 4),
    4: (0, 1, 3, 4),
    5: (0, 1, 2, 3, 4),
    6: (0, 1, 2, 3, 4, 5),
    7: (0, 1, 2, 3, 4, 5, 6),
}


def spread(days_per_week: int) -> int:
    """The default weekday bits for a routine prescribed `days_per_week` times a week."""
    return sum(1 << day for day in SPREAD[max(1, min(7, days_per_week))])
