"""Reads of a runner's own check-ins: single days, the trend the advice needs, progress."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import cache, lru_cache
from statistics import fmean
from typing import Any

from django.contrib.auth.models import User
from django.db import connections, router
from django.db.models import (
    Case,
    CharField,
    DateTimeField,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce

from accounts.selectors import local_today, profile_get, user_zone
from footing.errors import NotFound
from footing.sql import Columns, JoinedText
from journal.advice import (
    ACTIVE,
    BONE_CONDITIONS,
    MEANINGFUL_CHANGE,
    RED_FLAG_FIELDS,
    RED_FLAGS,
    Action,
    Assessment,
    Morning,
    RunReturn,
    Trend,
    Triage,
    assess,
    trend_from,
    triage,
)
from journal.models import Activity, CheckIn, ReturnToRun, any_red_flag
from journal.units import KM_PER_MILE
from library.return_plan import Stage, return_plan
from library.selectors import condition_find
from training.selectors import WeekCount, sessions_per_week

PROGRESS_DAYS = (14, 30, 90)
TREND_DAYS = 14  # what the rules look back over: two 7-day weeks


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


@dataclass(frozen=True)
class CheckInData:
    """A check-in as plain data: the one shape every reader outside journal gets (the
    clinic's page and CSV, the person's own export). `received_at` is when the server got
    these answers, or last saw them change."""

    client_id: uuid.UUID
    date: date
    first_step_pain: int
    locations: tuple[str, ...]
    stiffness_minutes: int | None
    activity: str
    distance_km: Decimal | None
    pain_during: int | None
    pain_after: int | None
    walking_pain_free: bool | None
    red_flags: tuple[str, ...]  # field names, in the order journal/advice.py lists them
    # The warning signs were answered (some ticked, or "None of these"); False is unknown.
    red_flags_answered: bool
    answered_at: datetime
    received_at: datetime

    @property
    def activity_label(self) -> str:
        return Activity(self.activity).label if self.activity else ""

    @property
    def flag_labels(self) -> list[str]:
        return red_flag_labels(self.red_flags)

    def as_dict(self) -> dict[str, Any]:
        """For JSON and CSV: text and numbers only."""
        return {
            "client_id": str(self.client_id),
            "date": self.date.isoformat(),
            "first_step_pain": self.first_step_pain,
            "locations": list(self.locations),
            "stiffness_minutes": self.stiffness_minutes,
            "activity": self.activity,
            "distance_km": str(self.distance_km) if self.distance_km is not None else None,
            "pain_during": self.pain_during,
            "pain_after": self.pain_after,
            "walking_pain_free": self.walking_pain_free,
            "red_flags": sorted(self.red_flags),
            "red_flags_answered": self.red_flags_answered,
            "answered_at": self.answered_at.isoformat(),
        }


_DATA_COLUMNS = (
    "client_id",
    "date",
    "first_step_pain",
    "locations",
    "stiffness_minutes",
    "activity",
    "distance_km",
    "pain_during",
    "pain_after",
    "answered_at",
    "updated_at",
    "walking_pain_free",
    "red_flags_answered",
    *RED_FLAG_FIELDS,
)


def _data(row: tuple[Any, ...]) -> CheckInData:
    ticked = row[len(_DATA_COLUMNS) - len(RED_FLAG_FIELDS) :]
    return CheckInData(
        client_id=row[0],
        date=row[1],
        first_step_pain=row[2],
        locations=tuple(row[3]),
        stiffness_minutes=row[4],
        activity=row[5],
        distance_km=row[6],
        pain_during=row[7],
        pain_after=row[8],
        answered_at=row[9],
        received_at=row[10],
        walking_pain_free=row[11],
        red_flags_answered=row[12],
        red_flags=tuple(f for f, on in zip(RED_FLAG_FIELDS, ticked, strict=True) if on),
    )


def checkin_data(checkin: CheckIn) -> CheckInData:
    return _data(tuple(getattr(checkin, name) for name in _DATA_COLUMNS))


def checkins_of(
    *, user: User, limit: int | None = None, oldest_first: bool = False
) -> list[CheckInData]:
    """The person's check-ins as plain data, newest first (or oldest first)."""
    rows = CheckIn.objects.filter(user=user).order_by("date" if oldest_first else "-date")
    rows = rows[:limit] if limit is not None else rows
    return [_data(row) for row in rows.values_list(*_DATA_COLUMNS)]


def checkin_as_dict(checkin: CheckIn) -> dict[str, Any]:
    """One check-in as plain data (the export and the CSV share it)."""
    return checkin_data(checkin).as_dict()


def checkin_page_data() -> dict[str, Any]:
    """What the check-in's JavaScript needs of the rules, shipped in the page: the one home
    of each stays here (journal.advice, journal.units)."""
    return {
        "activity_pain": sorted(ACTIVE),  # the activities that have a pain during/after
        "km_per_mile": float(KM_PER_MILE),
        "red_flags": list(RED_FLAG_FIELDS),
    }


def trend_for(*, user: User, day: date) -> Trend:
    """What the check-ins before `day` say, for the pain-monitoring rules (one query)."""
    since = day - timedelta(days=TREND_DAYS)
    # One check-in a day, so the newest TREND_DAYS + 1 up to `day` are the whole window and,
    # if there is one, a morning from before it: one query answers both.
    newest = _newest_mornings(user=user, day=day, count=TREND_DAYS + 1)
    trend = trend_from(day=day, diary=[row for row in newest if row[0] > since])
    if trend.mornings_before == 0 and any(row[0] <= since for row in newest):
        # Checked in before, just not in the last two weeks: welcome back, not "welcome".
        return replace(trend, mornings_before=1)
    return trend


TREND_COLUMNS = Columns(CheckIn, ("date", "first_step_pain", "stiffness_minutes"))


def _newest_mornings(*, user: User, day: date, count: int) -> list[tuple[Any, ...]]:
    """`CheckIn.objects.filter(user=user, date__lte=day).order_by("-date").values_list(
    "date", "first_step_pain", "stiffness_minutes")[:count]`, in SQL written once: every
    check-in's answer reads it (footing/sql.py says why)."""
    alias = router.db_for_read(CheckIn)
    connection = connections[alias]
    on_day = CheckIn._meta.get_field("date").get_db_prep_value(day, connection)
    with connection.cursor() as cursor:
        cursor.execute(_newest_mornings_sql(alias), [user.pk, on_day, count])
        rows = cursor.fetchall()
    return [tuple(TREND_COLUMNS.values(connection, row)) for row in rows]


@cache
def _newest_mornings_sql(alias: str) -> str:
    """The statement, written once per database (quoting differs)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    meta = CheckIn._meta
    owner, when = (
        quote(str(meta.get_field("user").column)),
        quote(str(meta.get_field("date").column)),
    )
    return (
        f"SELECT {TREND_COLUMNS.select(connection)} FROM {quote(meta.db_table)} "
        f"WHERE {owner} = %s AND {when} <= %s ORDER BY {when} DESC LIMIT %s"
    )


def checkin_morning(checkin: CheckIn) -> Morning:
    return Morning(
        first_step_pain=checkin.first_step_pain,
        activity=checkin.activity,
        pain_during=checkin.pain_during,
        pain_after=checkin.pain_after,
        stiffness_minutes=checkin.stiffness_minutes,
        flags=checkin_flags(checkin),
        flags_answered=checkin.red_flags_answered,
        walking_pain_free=checkin.walking_pain_free,
    )


def checkin_assessment(*, checkin: CheckIn) -> Assessment:
    """Today's triage and advice for one check-in, as of that check-in's day."""
    slug = profile_get(user=checkin.user).main_condition
    condition = condition_find(slug=slug)
    return assess(
        morning=checkin_morning(checkin),
        trend=trend_for(user=checkin.user, day=checkin.date),
        condition=slug,
        doctor_first=condition is not None and condition.doctor_first,
        condition_name=condition.name if condition else "",
        run_return=run_return_for(user=checkin.user) if slug in BONE_CONDITIONS else None,
    )


@dataclass(frozen=True)
class Today:
    """Whether today's check-in changes the day: its red-flag triage, if any."""

    day: date
    checkin: CheckIn | None
    triage: Triage | None


def today_get(*, user: User, now: datetime) -> Today:
    """Today's check-in (the runner's own day) and its triage (one query): a red flag
    ticked this morning stops training until the day is over or the answers change."""
    day = local_today(user=user, now=now)
    checkin = checkin_on(user=user, day=day)
    return Today(
        day=day, checkin=checkin, triage=triage(checkin_flags(checkin)) if checkin else None
    )


# ---- the return-to-running plan --------------------------------------------------------
def return_to_run_get(*, user: User) -> ReturnToRun | None:
    return ReturnToRun.objects.filter(user=user).first()


MIN_DAYS_ON_STAGE = 2  # each stage is done twice, every other day, before moving on


def return_to_run_next(*, user: User, now: datetime) -> tuple[Stage | None, str]:
    """The stage the runner may move on to now, or None and why not: cleared by their
    clinician, today's check-in says so, and the stage they are on has had its days."""
    plan = return_plan()
    row = return_to_run_get(user=user)
    ahead = plan.next_after(row.stage if row else "")
    if ahead is None:
        return None, "You are on the last stage of the plan."
    if row is None or not row.cleared:
        return None, "Your clinician hasn't cleared you to return to running yet."
    today = local_today(user=user, now=now)
    checkin = checkin_on(user=user, day=today)
    if checkin is None or checkin_assessment(checkin=checkin).advice.action != Action.PROGRESS:
        return None, "Today's check-in doesn't say to move on yet."
    if (today - row.changed_at.astimezone(user_zone(user=user)).date()).days < MIN_DAYS_ON_STAGE:
        return None, "Stay on this stage a little longer: each one is done twice, every other day."
    return ahead, ""


def return_to_run_as_dict(*, user: User) -> dict[str, Any] | None:
    """The runner's place on the plan as plain data (their export), or None."""
    row = return_to_run_get(user=user)
    if row is None:
        return None
    return {
        "cleared": row.cleared,
        "stage": row.stage or return_plan().stages[0].slug,
        "changed_at": row.changed_at.isoformat(),
    }


def run_return_for(*, user: User) -> RunReturn:
    """The runner's place on the plan, in the plan's own words, for the advice."""
    row = return_to_run_get(user=user)
    plan = return_plan()
    slug = row.stage if row else ""
    ahead, behind = plan.next_after(slug), plan.before_this(slug)
    return RunReturn(
        cleared=bool(row and row.cleared),
        stage=plan.stage(slug).title,
        next_stage=ahead.title if ahead else "",
        previous_stage=behind.title if behind else "",
    )


# ---- progress --------------------------------------------------------------------------
@dataclass(frozen=True)
class DayPain:
    day: date
    pain: int | None


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
        weeks=sessions_per_week(user=user, now=now, weeks=max(2, min(days // 7, 8))),
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


# ---- many people at once, as plain values (the clinic's patient list) ------------------
# The list sorts and filters a whole clinic before it pages: per patient it reads the
# newest morning and the newest red-flagged one still waiting as correlated subqueries,
# each one seek into an index (the (user, date) unique constraint; the partial
# `checkin_flagged` index over rows with a red flag), computed once per patient (the list
# materialises them), so nothing is kept beside the check-ins and the write path stays
# the upsert alone. Then it reads the mornings of the page's patients only, as plain
# values keyed by user id.
@dataclass(frozen=True)
class CheckInColumns:
    """Expressions for a query over rows that point at a user: the latest check-in's day
    and pain (NULL before a first check-in)."""

    last_date: Subquery
    last_pain: Subquery


def checkin_columns(*, user_id: str = "user_id") -> CheckInColumns:
    """`user_id` names the outer query's column holding the user's id."""
    mine = CheckIn.objects.filter(user_id=OuterRef(user_id)).order_by("-date")
    return CheckInColumns(
        last_date=Subquery(mine.values("date")[:1]),
        last_pain=Subquery(mine.values("first_step_pain")[:1]),
    )


# Before any morning reached the server (check-in days start in 2000: journal.models).
_BEFORE_ANY = datetime(2000, 1, 1, tzinfo=UTC)


def red_flag_day(*, user_id: str, since: str, received_after: str) -> Subquery:
    """The newest red-flagged day of the outer row's user on or after the day in its
    column `since`, among the mornings the server got (or last changed) after the moment
    in its column `received_after` (all of them where that is NULL); NULL if none."""
    flagged = _flagged_after(user_id=user_id, since=since, received_after=received_after)
    return Subquery(flagged.order_by("-date").values("date")[:1])


def _flagged_after(*, user_id: str, since: str, received_after: str) -> QuerySet[CheckIn]:
    """Inside a query over rows that point at a user: the mornings `red_flag_day` and
    `flagged_mornings_text` look at."""
    after = Coalesce(OuterRef(received_after), Value(_BEFORE_ANY), output_field=DateTimeField())
    return CheckIn.objects.filter(
        any_red_flag(written=True),
        user_id=OuterRef(user_id),
        date__gte=OuterRef(since),
        updated_at__gt=after,
    )


@dataclass(frozen=True)
class FlaggedMorning:
    user_id: int
    day: date
    flags: tuple[str, ...]  # field names, in the order journal/advice.py lists them
    received_at: datetime  # when the server got (or last changed) these answers

    @property
    def labels(self) -> list[str]:
        return red_flag_labels(self.flags)


def flagged_mornings(*, user_ids: Collection[int], since: date) -> list[FlaggedMorning]:
    """Every red-flagged check-in of these people since a day, newest first."""
    rows = CheckIn.objects.filter(any_red_flag(written=True), user_id__in=user_ids, date__gte=since)
    columns = ("user_id", "date", "updated_at", *RED_FLAG_FIELDS)
    return [
        FlaggedMorning(
            user_id=row[0],
            day=row[1],
            received_at=row[2],
            flags=tuple(
                name for name, ticked in zip(RED_FLAG_FIELDS, row[3:], strict=True) if ticked
            ),
        )
        for row in rows.order_by("-date").values_list(*columns)
    ]


def flagged_mornings_text(*, user_id: str, since: str, received_after: str) -> Subquery:
    """The outer row's user's red-flagged mornings that `red_flag_day` looks at (on or after
    the day in its column `since`, got or changed after the moment in `received_after`),
    as one text per user (NULL: none), in no order: `flagged_mornings_parse` reads it. For
    a statement that reads a page of people's flagged mornings beside their other values,
    one value per person, not a row per morning."""
    flagged = _flagged_after(user_id=user_id, since=since, received_after=received_after)
    ticks = [
        Case(When(Q(**{name: True}), then=Value("1")), default=Value("0"))
        for name in RED_FLAG_FIELDS
    ]
    # day|ticks (one 0/1 per RED_FLAG_FIELDS)|received, mornings joined by ";"
    one = JoinedText(
        Cast("date", CharField()), Value("|"), *ticks, Value("|"), Cast("updated_at", CharField())
    )
    text = flagged.order_by().values("user_id").annotate(text=StringAgg(one, Value(";")))
    return Subquery(text.values("text"), output_field=TextField())


def flagged_mornings_parse(user_id: int, text: str | None) -> list[FlaggedMorning]:
    """`flagged_mornings_text`'s value as `flagged_mornings` returns it: newest first."""
    mornings = []
    for item in text.split(";") if text else ():
        day, ticks, received = item.split("|")
        moment = datetime.fromisoformat(received)  # SQLite keeps UTC without a zone
        mornings.append(
            FlaggedMorning(
                user_id=user_id,
                day=date.fromisoformat(day),
                received_at=moment if moment.tzinfo else moment.replace(tzinfo=UTC),
                flags=tuple(
                    name for name, tick in zip(RED_FLAG_FIELDS, ticks, strict=True) if tick == "1"
                ),
            )
        )
    return sorted(mornings, key=lambda morning: morning.day, reverse=True)


def checked_in_on(*, days: dict[int, date]) -> set[int]:
    """Which of these people (user id → their local day) have checked in on that day."""
    if not days:
        return set()
    found = CheckIn.objects.filter(user_id__in=days, date__in=set(days.values())).values_list(
        "user_id", "date"
    )
    return {user_id for user_id, day in found if days.get(user_id) == day}


def red_flag_labels(flags: Iterable[str]) -> list[str]:
    """What each ticked red flag asked, as the clinic reads it."""
    ticked = set(flags)
    return [flag.question for flag in RED_FLAGS if flag.field in ticked]


def pain_points(*, days: Mapping[int, date], span: int) -> dict[int, list[int | None]]:
    """First-step pain of each person for the `span` days up to their own today
    (`days`: user id → that day), oldest first, None where they did not check in."""
    if not days:
        return {}
    first = min(days.values()) - timedelta(days=span - 1)
    points: dict[int, list[int | None]] = {user_id: [None] * span for user_id in days}
    rows = CheckIn.objects.filter(
        user_id__in=list(days), date__gte=first, date__lte=max(days.values())
    ).values_list("user_id", "date", "first_step_pain")
    for user_id, day, pain in rows:
        _place(points[user_id], day=day, pain=pain, today=days[user_id])
    return points


def _place(points: list[int | None], *, day: date, pain: int, today: date) -> None:
    index = len(points) - 1 - (today - day).days
    if 0 <= index < len(points):
        points[index] = pain


def pain_points_text(*, user_id: str, since: str, until: str) -> Subquery:
    """First-step pain of the outer row's user on each day from the day in its column
    `since` to the one in `until`, as one text per user (NULL: no morning), in no order:
    `pain_points_parse` reads it. For a statement that reads a page of people's points
    beside their other values: one value per person, not a row per morning."""
    mornings = CheckIn.objects.filter(
        user_id=OuterRef(user_id), date__gte=OuterRef(since), date__lte=OuterRef(until)
    )
    one = JoinedText(Cast("date", CharField()), Value("="), Cast("first_step_pain", CharField()))
    text = mornings.order_by().values("user_id").annotate(text=StringAgg(one, Value(",")))
    return Subquery(text.values("text"), output_field=TextField())


def pain_points_parse(text: str | None, *, today: date, span: int) -> list[int | None]:
    """`pain_points_text`'s value as `pain_points` gives each person's: `span` days up to
    `today`, oldest first, None where they did not check in."""
    points: list[int | None] = [None] * span
    for item in text.split(",") if text else ():
        day, pain = item.split("=")
        _place(points, day=date.fromisoformat(day), pain=int(pain), today=today)
    return points


def pain_trend(points: Sequence[int | None]) -> Trend:
    """Week on week, from daily points, oldest first, the last one today (`pain_points`):
    the advice's own rule (journal.advice.trend_from, 3 mornings a week at least)."""
    return _trend_of(tuple(points))


# A pure function of the points, and a patient's points change at most once a day: the
# clinic's list asks for fifty a page, again at every sort, filter and page it shows.
# (A Trend is frozen, so one may be handed to many.)
@lru_cache(maxsize=8192)
def _trend_of(points: tuple[int | None, ...]) -> Trend:
    today = _ANCHOR + timedelta(days=len(points) - 1)
    diary = [(_ANCHOR + timedelta(days=i), p, None) for i, p in enumerate(points) if p is not None]
    return trend_from(day=today, diary=diary)


# Points carry no dates of their own; any fixed day serves to lay them out as a diary.
_ANCHOR = date(2000, 1, 1)
