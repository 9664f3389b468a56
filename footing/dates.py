"""Every date and time a person reads, one way (docs/words.md), in their time zone
(accounts' middleware activates it): "1 Dec", "Tue 1 Dec", "Tue 1 Dec, 07:55",
"1 Dec 2026", "07:55"; the year only when it is not this year (always in `dated`, for a
version's or an invitation's date).

The words are British English's (CLDR's en-GB, the pages' `<html lang>`), the same the
browser's Intl writes for the page's JavaScript (static/js/dates.js); tests/pwa/test_dates.py
holds the two to the same words. Templates use these as filters (pwa/templatetags/dates.py,
built in), Python texts call them; nothing else formats a date for people.
"""

from __future__ import annotations

from datetime import date, datetime, time

from django.utils import timezone

WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sept", "Oct", "Nov", "Dec")

When = date | datetime | None


def _local(value: date | datetime) -> date | datetime:
    if isinstance(value, datetime) and timezone.is_aware(value):
        return timezone.localtime(value)
    return value


def _day_month(value: date | datetime, *, weekday: bool, year: bool | None) -> str:
    """`year`: True always, None when not this year (in the person's zone)."""
    words = [str(value.day), MONTHS[value.month - 1]]
    if weekday:
        words.insert(0, WEEKDAYS[value.weekday()])
    if year or (year is None and value.year != timezone.localdate().year):
        words.append(str(value.year))
    return " ".join(words)


def day_month(value: When) -> str:
    """ "1 Dec" (a week's ends, "ended 1 Dec")."""
    return "" if value is None else _day_month(_local(value), weekday=False, year=None)


def day(value: When) -> str:
    """ "Tue 1 Dec": a check-in's day, a session's day."""
    return "" if value is None else _day_month(_local(value), weekday=True, year=None)


def clock(value: datetime | time | None) -> str:
    """ "07:55", 24-hour (a moment in the person's zone, or a time of day as it is)."""
    if value is None:
        return ""
    local = value
    if isinstance(value, datetime) and timezone.is_aware(value):
        local = timezone.localtime(value)
    return f"{local.hour:02d}:{local.minute:02d}"


def moment(value: datetime | None) -> str:
    """ "Tue 1 Dec, 07:55": when something happened."""
    return "" if value is None else f"{day(value)}, {clock(value)}"


def dated(value: When) -> str:
    """ "1 Dec 2026": a version's, an invitation's or a membership's date."""
    return "" if value is None else _day_month(_local(value), weekday=False, year=True)
