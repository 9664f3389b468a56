"""Reads of a runner's own check-ins: single days, the trend the advice needs, progress."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from statistics import fmean
from typing import Any

from django.contrib.auth.models import User
from django.db.models import QuerySet

from accounts.selectors import local_today, profile_get, user_zone
from footing.errors import NotFound
from journal.advice import (
    MEANINGFUL_CHANGE,
    RED_FLAG_FIELDS,
    Assessment,
    Morning,
    Trend,
    assess,
)
from journal.models import CheckIn
from training.models import SessionLog

PROGRESS_DAYS = (14, 30, 90)
# The morning before counts as "yesterday's baseline" only if it is recent.
PREVIOUS_WITHIN = timedelta(days=3)
MIN_MORNINGS_PER_WEEK = 3


def checkin_list(*, user: User, since: date | None = None) -> QuerySet[CheckIn]:
    checkins = CheckIn.objects.filter(user=user)
    return checkins.filter(date__gte=since) if since else checkins


def checkin_get(*, user: User, client_id: uuid.UUID) -> CheckIn:
    checkin = CheckIn.objects.filter(user=user, client_id=client_id).first()
    if checkin is None:
        raise NotFound("No such check-in.")
    checkin.user = user  # the person already loaded (with their profile): no second read
    return checkin


def checkin_on(*, user: User, day: date) -> CheckIn | None:
    return CheckIn.objects.filter(user=user, date=day).first()


def checkin_flags(checkin: CheckIn) -> frozenset[str]:
    return frozenset(name for name in RED_FLAG_FIELDS if getattr(checkin, name))


def checkin_as_dict(checkin: CheckIn) -> dict[str, Any]:
    """One check-in as plain data (the export and the CSV share it)."""
    return {
        "client_id": str(checkin.client_id),
        "date": checkin.date.isoformat(),
        "first_step_pain": checkin.first_step_pain,
        "locations": list(checkin.locations),
        "stiffness_minutes": checkin.stiffness_minutes,
        "activity": checkin.activity,
        "distance_km": str(checkin.distance_km) if checkin.distance_km is not None else None,
        "pain_during": checkin.pain_during,
        "pain_after": checkin.pain_after,
        "red_flags": sorted(checkin_flags(checkin)),
        "answered_at": checkin.answered_at.isoformat(),
    }


def trend_for(*, user: User, day: date) -> Trend:
    """What the check-ins before `day` say, for the pain-monitoring rules."""
    rows = list(
        CheckIn.objects.filter(user=user, date__gte=day - timedelta(days=13), date__lte=day)
        .order_by("date")
        .values_list("date", "first_step_pain", "stiffness_minutes")
    )
    earlier = [row for row in rows if row[0] < day and row[0] >= day - PREVIOUS_WITHIN]
    this_week = [row for row in rows if row[0] > day - timedelta(days=7)]
    last_week = [row for row in rows if row[0] <= day - timedelta(days=7)]
    return Trend(
        previous_pain=earlier[-1][1] if earlier else None,
        this_week_pain=_mean([row[1] for row in this_week]),
        last_week_pain=_mean([row[1] for row in last_week]),
        this_week_stiffness=_mean([row[2] for row in this_week if row[2] is not None]),
        last_week_stiffness=_mean([row[2] for row in last_week if row[2] is not None]),
    )


def _mean(values: list[int]) -> float | None:
    return fmean(values) if len(values) >= MIN_MORNINGS_PER_WEEK else None


def checkin_assessment(*, checkin: CheckIn) -> Assessment:
    morning = Morning(
        first_step_pain=checkin.first_step_pain,
        activity=checkin.activity,
        pain_during=checkin.pain_during,
        pain_after=checkin.pain_after,
        stiffness_minutes=checkin.stiffness_minutes,
        flags=checkin_flags(checkin),
    )
    return assess(
        morning=morning,
        trend=trend_for(user=checkin.user, day=checkin.date),
        condition=profile_get(user=checkin.user).main_condition,
    )


# ---- progress --------------------------------------------------------------------------
@dataclass(frozen=True)
class DayPain:
    day: date
    pain: int | None


@dataclass(frozen=True)
class WeekCount:
    start: date
    end: date
    sessions: int


@dataclass(frozen=True)
class Progress:
    days: int
    today: date
    series: list[DayPain]
    average_7: float | None
    streak: int
    first_week_average: float | None
    weeks: list[WeekCount]

    @property
    def recorded(self) -> int:
        return sum(1 for point in self.series if point.pain is not None)

    @property
    def change(self) -> float | None:
        """This week's average minus the first week's (negative is better)."""
        if self.average_7 is None or self.first_week_average is None:
            return None
        return round(self.average_7 - self.first_week_average, 1)

    @property
    def meaningful(self) -> bool:
        return self.change is not None and abs(self.change) >= MEANINGFUL_CHANGE

    @property
    def target(self) -> float | None:
        """The line a meaningful improvement crosses: ~2 points below the first week."""
        if self.first_week_average is None:
            return None
        return max(0.0, self.first_week_average - MEANINGFUL_CHANGE)


def progress_get(*, user: User, days: int, now: datetime) -> Progress:
    today = local_today(user=user, now=now)
    start = today - timedelta(days=days - 1)
    pains = dict(
        CheckIn.objects.filter(user=user, date__gte=start, date__lte=today).values_list(
            "date", "first_step_pain"
        )
    )
    series = [DayPain(start + timedelta(days=n), None) for n in range(days)]
    series = [DayPain(point.day, pains.get(point.day)) for point in series]
    last_7 = [point.pain for point in series[-7:] if point.pain is not None]
    return Progress(
        days=days,
        today=today,
        series=series,
        average_7=round(fmean(last_7), 1) if last_7 else None,
        streak=_streak(user=user, today=today),
        first_week_average=_first_week_average(user=user, today=today),
        weeks=sessions_per_week(user=user, today=today, weeks=max(2, min(days // 7, 8))),
    )


def _streak(*, user: User, today: date) -> int:
    """Mornings in a row up to today (or up to yesterday, before today's check-in)."""
    dates = set(
        CheckIn.objects.filter(
            user=user, date__lte=today, date__gt=today - timedelta(days=400)
        ).values_list("date", flat=True)
    )
    day = today if today in dates else today - timedelta(days=1)
    streak = 0
    while day in dates:
        streak += 1
        day -= timedelta(days=1)
    return streak


def _first_week_average(*, user: User, today: date) -> float | None:
    """The average of the 7 days from the first check-in, once that week is over."""
    first = CheckIn.objects.filter(user=user).order_by("date").values_list("date", flat=True)
    first_day = first.first()
    if first_day is None or first_day + timedelta(days=7) > today:
        return None
    pains = CheckIn.objects.filter(
        user=user, date__gte=first_day, date__lt=first_day + timedelta(days=7)
    ).values_list("first_step_pain", flat=True)
    return round(fmean(pains), 1)


def sessions_per_week(*, user: User, today: date, weeks: int) -> list[WeekCount]:
    """Sessions played in each of the last `weeks` 7-day spans, newest first, counted on
    the runner's own calendar (a 23:30 session belongs to that evening, not tomorrow)."""
    zone = user_zone(user=user)
    first_day = today - timedelta(days=7 * weeks - 1)
    since = datetime.combine(first_day, datetime.min.time(), tzinfo=zone)
    counts = [0] * weeks
    for started in SessionLog.objects.filter(user=user, started_at__gte=since).values_list(
        "started_at", flat=True
    ):
        age = (today - started.astimezone(zone).date()).days
        if 0 <= age < 7 * weeks:
            counts[age // 7] += 1
    return [
        WeekCount(
            start=today - timedelta(days=7 * n + 6), end=today - timedelta(days=7 * n), sessions=c
        )
        for n, c in enumerate(counts)
    ]
