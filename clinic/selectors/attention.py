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

from django.db.models import (
    BooleanField,
    Case,
    DateField,
    DateTimeField,
    ExpressionWrapper,
    F,
    Field,
    Q,
    Value,
    When,
)

from journal.selectors import FlaggedMorning

FLAG_WAIT_DAYS = 30
SILENT_DAYS = 3


def flag_window_start(*, today: date) -> date:
    """The oldest check-in day whose red flags can still be waiting."""
    return today - timedelta(days=FLAG_WAIT_DAYS)


def flag_waiting(
    *, flagged_date: date | None, flagged_at: datetime | None, handled: datetime | None, today: date
) -> bool:
    """From the patient's newest red-flagged morning (journal.selectors.checkin_columns):
    is any red flag of theirs waiting for a clinician?"""
    if flagged_date is None or flagged_at is None:
        return False
    recent = flagged_date >= flag_window_start(today=today)
    return recent and (handled is None or flagged_at > handled)


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
@dataclass(frozen=True)
class AttentionColumns:
    waiting: ExpressionWrapper[Any]
    silent: ExpressionWrapper[Any]


def zone_days(*, zones: Iterable[str], now: datetime) -> dict[str, date]:
    """Each time zone's calendar day at `now`: what `attention_columns` needs of the clock."""
    return {name: now.astimezone(ZoneInfo(name)).date() for name in sorted(set(zones))}


def attention_columns(*, days: Mapping[str, date]) -> AttentionColumns:
    """ "Red flags waiting" and "no check-in" as boolean expressions, for a query over
    patient memberships that carries accounts' person columns and journal's check-in
    columns under the names `person_zone` and `checkin_*` (patient_list.py names them).
    Each patient's "today" is their own: `days` is each of their time zones' day now
    (`zone_days`), and the expressions depend on nothing else."""
    names = sorted(days)

    def per_zone(value: Callable[[ZoneInfo, date], Any], field: Field[Any, Any]) -> Case:
        whens = [When(person_zone=n, then=Value(value(ZoneInfo(n), days[n]))) for n in names]
        return Case(*whens, default=None, output_field=field)

    window = per_zone(lambda zone, today: flag_window_start(today=today), DateField())
    last_quiet_day = per_zone(lambda zone, today: today - timedelta(days=SILENT_DAYS), DateField())
    joined_before = per_zone(
        lambda zone, today: datetime.combine(
            today - timedelta(days=SILENT_DAYS - 1), time.min, tzinfo=zone
        ),
        DateTimeField(),
    )
    today = per_zone(lambda zone, today: today, DateField())
    waiting = Q(checkin_flagged_date__gte=window) & (
        Q(flags_handled_through__isnull=True) | Q(checkin_flagged_at__gt=F("flags_handled_through"))
    )
    not_snoozed = Q(quiet_until__isnull=True) | Q(quiet_until__lt=today)
    quiet = Q(checkin_last_date__lte=last_quiet_day) | Q(
        checkin_last_date__isnull=True, created_at__lt=joined_before
    )
    return AttentionColumns(
        waiting=ExpressionWrapper(waiting, output_field=BooleanField()),
        silent=ExpressionWrapper(not_snoozed & quiet, output_field=BooleanField()),
    )
