"""Reads of a person's own sessions, and the one definition of "this week"."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import (
    Case,
    Count,
    DateTimeField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce

from accounts.selectors import user_zone
from training.models import SessionExercise, SessionLog

# A log's exercises in the order they were played (one query for any number of logs).
EXERCISES_IN_ORDER = Prefetch("exercises", queryset=SessionExercise.objects.order_by("position"))


def session_list(*, user: User) -> QuerySet[SessionLog]:
    return logs_in_full().filter(user=user)


def logs_in_full() -> QuerySet[SessionLog]:
    """Logs with everything a page or the API shows of them: two queries in all."""
    return SessionLog.objects.select_related("routine_version__routine").prefetch_related(
        EXERCISES_IN_ORDER
    )


def session_as_dict(log: SessionLog) -> dict[str, Any]:
    """One session as plain data, every exercise with what was done (the data export)."""
    return {
        "client_id": str(log.client_id),
        "routine": log.routine_version.routine.slug,
        "version": log.routine_version.number,
        "started_at": log.started_at.isoformat(),
        "ended_at": log.ended_at.isoformat(),
        "received_at": log.received_at.isoformat(),
        "exercises": [
            {
                "position": row.position,
                "exercise": row.exercise_slug,
                "name": row.exercise_name,
                "sets_planned": row.sets_planned,
                "sets_done": row.sets_done,
                "reps": row.reps_done,
                "seconds": row.seconds_done,
                "skipped": row.skipped,
                "skip_reason": row.skip_reason,
                "pain": row.pain,
                "effort": row.effort,
            }
            for row in log.exercises.all()
        ],
    }


# ---- weeks: one definition of "this week" ----------------------------------------------
# A week is the person's own calendar week, Monday to Sunday, in their own time zone: a
# session at 23:30 on Sunday in Los Angeles belongs to that week, whatever the server's
# clock says. The clinic's list, the patient's page and home, progress and the CSV all
# count sessions with these functions.


@dataclass(frozen=True)
class Week:
    """A calendar week, Monday to Sunday, in one time zone."""

    start: date  # Monday
    zone: ZoneInfo

    @property
    def end(self) -> date:
        return self.start + timedelta(days=6)

    @property
    def since(self) -> datetime:
        """Monday 00:00 there, as an instant."""
        return datetime.combine(self.start, time.min, tzinfo=self.zone)

    @property
    def until(self) -> datetime:
        """The next Monday 00:00 there (exclusive)."""
        return datetime.combine(self.start + timedelta(days=7), time.min, tzinfo=self.zone)

    def before(self, weeks: int = 1) -> Week:
        return Week(start=self.start - timedelta(days=7 * weeks), zone=self.zone)


def week_of(*, day: date, zone: ZoneInfo) -> Week:
    return Week(start=day - timedelta(days=day.weekday()), zone=zone)


def week_at(*, zone: ZoneInfo, now: datetime) -> Week:
    """The week `now` falls in, on that zone's calendar."""
    return week_of(day=now.astimezone(zone).date(), zone=zone)


def local_day(*, moment: datetime, zone: ZoneInfo) -> date:
    """The calendar day of an instant for the person (a session's day in the CSV)."""
    return moment.astimezone(zone).date()


@dataclass(frozen=True)
class WeekSummary:
    sessions: int
    week: Week


def sessions_this_week(*, user: User, now: datetime) -> WeekSummary:
    """Sessions in the person's current calendar week (Monday to now)."""
    zone = user_zone(user=user)
    sessions = _this_week(zones={user.pk: zone}, now=now).count()
    return WeekSummary(sessions=sessions, week=week_at(zone=zone, now=now))


@dataclass(frozen=True)
class WeekCount:
    start: date
    end: date
    sessions: int


def sessions_per_week(*, user: User, now: datetime, weeks: int) -> list[WeekCount]:
    """Sessions in this calendar week and the `weeks - 1` before it, newest first."""
    zone = user_zone(user=user)
    spans = [week_at(zone=zone, now=now).before(n) for n in range(weeks)]
    started = SessionLog.objects.filter(
        user=user, started_at__gte=spans[-1].since, started_at__lt=spans[0].until
    ).values_list("started_at", flat=True)
    counts = [0] * weeks
    for moment in started:
        monday = week_of(day=local_day(moment=moment, zone=zone), zone=zone).start
        counts[(spans[0].start - monday).days // 7] += 1
    return [
        WeekCount(start=w.start, end=w.end, sessions=c) for w, c in zip(spans, counts, strict=True)
    ]


def sessions_this_week_by_user(*, zones: Mapping[int, ZoneInfo], now: datetime) -> dict[int, int]:
    """Sessions in each person's own current week, for many people in one query
    (`zones`: user id → that person's zone)."""
    return dict(
        _this_week(zones=zones, now=now)
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )


@dataclass(frozen=True)
class WeekColumns:
    """The current calendar week of each row's person (Monday 00:00 to the next, there), as
    expressions over a query whose column `zone` holds their zone's name (`week_columns`)."""

    since: Case
    until: Case


def week_columns(*, zone: str, days: Mapping[str, date]) -> WeekColumns:
    """`days`: each zone's day now (zone name → day): the week is `week_of` that day."""
    weeks = {name: week_of(day=day, zone=ZoneInfo(name)) for name, day in sorted(days.items())}

    def edge(moment: Callable[[Week], datetime]) -> Case:
        whens = [When(Q(**{zone: name}), then=Value(moment(w))) for name, w in weeks.items()]
        return Case(*whens, default=None, output_field=DateTimeField())

    return WeekColumns(since=edge(lambda w: w.since), until=edge(lambda w: w.until))


def sessions_between_column(*, user_id: str, since: str, until: str) -> Coalesce:
    """The outer row's user's sessions started from the moment in its column `since` up to
    (not including) `until` (`week_columns`: this week's), 0 when none."""
    mine = SessionLog.objects.filter(
        user_id=OuterRef(user_id), started_at__gte=OuterRef(since), started_at__lt=OuterRef(until)
    )
    count = mine.order_by().values("user_id").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(count, output_field=IntegerField()), 0)


def routines_played_since(*, since: dict[int, datetime]) -> set[tuple[int, int]]:
    """(user id, routine id) for each routine a person started a session of at or after
    their own `since` (e.g. their local midnight)."""
    if not since:
        return set()
    played = SessionLog.objects.filter(
        user_id__in=since, started_at__gte=min(since.values())
    ).values_list("user_id", "routine_version__routine_id", "started_at")
    return {(user, routine) for user, routine, at in played if at >= since[user]}


def sessions_this_week_by_routine(
    *, user: User, now: datetime, routine_ids: Iterable[int]
) -> dict[int, int]:
    """This week's sessions of one person, per routine (routine id → sessions)."""
    return dict(
        _this_week(zones={user.pk: user_zone(user=user)}, now=now)
        .filter(routine_version__routine_id__in=list(routine_ids))
        .values("routine_version__routine_id")
        .annotate(n=Count("id"))
        .values_list("routine_version__routine_id", "n")
    )


def _this_week(*, zones: Mapping[int, ZoneInfo], now: datetime) -> QuerySet[SessionLog]:
    by_zone: dict[ZoneInfo, list[int]] = {}
    for user_id, zone in zones.items():
        by_zone.setdefault(zone, []).append(user_id)
    if not by_zone:
        return SessionLog.objects.none()
    spans = Q()
    for zone, user_ids in by_zone.items():
        week = week_at(zone=zone, now=now)
        spans |= Q(user_id__in=user_ids, started_at__gte=week.since, started_at__lt=week.until)
    return SessionLog.objects.filter(spans)
