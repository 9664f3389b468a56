"""Who needs the clinic's attention: red flags waiting for a clinician, and patients who
have stopped checking in. The list and the patient page both read these rules here.

A red flag waits from the check-in that carries it until a clinician marks the
patient's flags handled (`RedFlagReview`, `Membership.flags_handled_through`); a flagged
check-in received or changed after that waits again. After FLAG_WAIT_DAYS an unhandled
flag stops nagging the list; the patient page keeps it. "No check-in" counts from the
patient's last check-in (or the day they joined), on their own calendar, unless a
clinician snoozed it up to a day (`CheckinSnooze`, `Membership.quiet_until`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Case, DateField, DateTimeField, Field, Value, When

from journal.selectors import FlaggedMorning

FLAG_WAIT_DAYS = 30
SILENT_DAYS = 3


def flag_window_start(*, today: date) -> date:
    """The oldest check-in day whose red flags can still be waiting."""
    return today - timedelta(days=FLAG_WAIT_DAYS)


@dataclass(frozen=True)
class FlagWaiting:
    day: date
    age: int  # days, on the patient's calendar (0 = today)
    flags: tuple[str, ...]
    labels: list[str]
    received_at: datetime


def flags_waiting(
    mornings: list[FlaggedMorning], *, handled: datetime | None, today: date
) -> list[FlagWaiting]:
    """The patient's flagged mornings still waiting, newest first."""
    oldest = flag_window_start(today=today)
    return [
        FlagWaiting(
            day=m.day,
            age=(today - m.day).days,
            flags=m.flags,
            labels=m.labels,
            received_at=m.received_at,
        )
        for m in mornings
        if m.day >= oldest and (handled is None or m.received_at > handled)
    ]


def seen_through(flags: list[FlagWaiting]) -> datetime | None:
    """What "Mark handled" closes: flags received up to the newest one on the screen."""
    return max((f.received_at for f in flags), default=None)


@dataclass(frozen=True)
class Silence:
    days: int  # quiet for, since the last check-in (or since joining, if none yet)
    never: bool  # no check-in at all yet
    snoozed_until: date | None  # only while the snooze lasts

    @property
    def alert(self) -> bool:
        return self.snoozed_until is None and self.days >= SILENT_DAYS


def silence(
    *, last_checkin: date | None, joined: date, snoozed: date | None, today: date
) -> Silence:
    """How long the patient has been quiet, and whether the clinic wants to hear of it."""
    return Silence(
        days=max((today - (last_checkin or joined)).days, 0),
        never=last_checkin is None,
        snoozed_until=snoozed if snoozed is not None and snoozed >= today else None,
    )


# ---- the same rules inside a query, for a whole clinic at once -------------------------
def zone_days(*, zones: Iterable[str], now: datetime) -> dict[str, date]:
    """Each time zone's calendar day at `now`: what `zone_columns` needs of the clock."""
    return {name: now.astimezone(ZoneInfo(name)).date() for name in sorted(set(zones))}


@dataclass(frozen=True)
class ZoneColumns:
    """Each patient's own calendar, as expressions over a query of patient memberships
    that carries accounts' zone under the name `person_zone`: the oldest day whose red
    flags can still wait, today, the last day after which they are not yet quiet, and
    the moment before which a patient who never checked in joined long enough ago."""

    window: Case
    today: Case
    quiet_day: Case
    joined_before: Case


def zone_columns(*, days: Mapping[str, date]) -> ZoneColumns:
    """`days` is each of the patients' time zones' day now (`zone_days`): the columns
    depend on nothing else (not on the clock)."""

    def per(value: Callable[[ZoneInfo, date], Any], field: Field[Any, Any]) -> Case:
        return per_zone(days=days, value=value, field=field)

    return ZoneColumns(
        window=per(lambda zone, today: flag_window_start(today=today), DateField()),
        today=per(lambda zone, today: today, DateField()),
        quiet_day=per(lambda zone, today: today - timedelta(days=SILENT_DAYS), DateField()),
        joined_before=per(
            lambda zone, today: datetime.combine(
                today - timedelta(days=SILENT_DAYS - 1), time.min, tzinfo=zone
            ),
            DateTimeField(),
        ),
    )


def per_zone(
    *, days: Mapping[str, date], value: Callable[[ZoneInfo, date], Any], field: Field[Any, Any]
) -> Case:
    """A value of each patient's zone and its day now (`days`), over a query of patient
    memberships carrying accounts' zone as `person_zone`."""
    whens = [When(person_zone=n, then=Value(value(ZoneInfo(n), days[n]))) for n in sorted(days)]
    return Case(*whens, default=None, output_field=field)


# "Red flags waiting" and "no check-in" as SQL over one row per patient with the columns
# `waiting_day` (journal.selectors.red_flag_day from `window`, after `handled`), `last_date`,
# `joined`, `quiet_until` and ZoneColumns' `today`, `quiet_day`, `joined_before`
# (clinic/selectors/patient_list.py computes them once per patient).
WAITING_SQL = "waiting_day IS NOT NULL"
SILENT_SQL = (
    "(quiet_until IS NULL OR quiet_until < today)"
    " AND (last_date <= quiet_day OR (last_date IS NULL AND joined < joined_before))"
)
