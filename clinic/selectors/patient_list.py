"""The clinic's list of its patients: who needs a call first, and how each one is doing.

Built to answer as fast for 1,000 patients as for 10. The database searches, filters,
sorts and pages one row per patient, joined from the membership (handled and snoozed),
accounts (name, email, phone, zone) and journal's newest and newest red-flagged morning
per person (journal.selectors.checkin_columns: correlated subqueries, each one index
seek), with the attention rules as columns (clinic/selectors/attention.py): nothing
read from anyone's history. Only the page's rows are then filled in, with a
fixed number of queries (sparkline points, waiting flags, this week's sessions,
prescriptions). Sorting by the pain trend or by this week's sessions, and the "pain
rising" filter, need every matching patient's recent mornings or sessions: those read
them for the matching patients in one query each, as plain values. No query builds an
object per check-in, and the number of queries never depends on the number of patients.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Lower

from accounts.selectors import person_columns, tel_link
from clinic.models import Membership, Prescription, Role
from clinic.selectors.attention import (
    FlagWaiting,
    Silence,
    attention_columns,
    flag_waiting,
    flag_window_start,
    flags_waiting,
    seen_through,
    silence,
    zone_days,
)
from clinic.sparkline import Spark, sparkline
from footing.sql import CompiledQueries
from journal.advice import Trend
from journal.selectors import (
    FlaggedMorning,
    checkin_columns,
    flagged_mornings,
    pain_points,
    pain_trend,
)
from training.selectors import sessions_this_week_by_user

PAGE_SIZE = 50
SPARK_DAYS = 14
SEARCH_MAX = 100


class Filter(StrEnum):
    FLAGGED = "flagged"
    SILENT = "silent"
    RISING = "rising"
    UNPRESCRIBED = "unprescribed"


FILTER_LABELS = {
    Filter.FLAGGED: "Red flags waiting",
    Filter.SILENT: "No check-in for 3+ days",
    Filter.RISING: "Pain rising",
    Filter.UNPRESCRIBED: "No prescription",
}


class Sort(StrEnum):
    ATTENTION = "attention"  # red flags waiting (newest first), then quiet longest, then name
    NAME = "name"
    FLAGS = "flags"  # the newest waiting red flag, newest first
    LAST = "last"  # the last check-in, most recent first
    PAIN = "pain"  # first-step pain at the last check-in, lowest first
    TREND = "trend"  # this week's pain against last week's, falling first
    SESSIONS = "sessions"  # share of this week's prescribed sessions done, least first
    ROUTINE = "routine"  # the first prescribed routine's title


SORT_LABELS = {
    Sort.ATTENTION: "Needs attention",
    Sort.NAME: "Name",
    Sort.FLAGS: "Red flags",
    Sort.LAST: "Last check-in",
    Sort.PAIN: "Pain now",
    Sort.TREND: "Pain trend",
    Sort.SESSIONS: "This week",
    Sort.ROUTINE: "Routine",
}


@dataclass(frozen=True, kw_only=True)
class ListQuery:
    """What the clinician asked for: the page's query string and the API's parameters
    both parse into this. `descending` turns the sort's own direction round."""

    search: str = ""
    filters: frozenset[Filter] = frozenset()
    sort: Sort = Sort.ATTENTION
    descending: bool = False
    page: int = 1


@dataclass(frozen=True)
class PatientRow:
    user_id: int
    name: str
    email: str
    phone: str
    tel: str
    joined: datetime
    last_checkin: date | None
    last_pain: int | None
    silence: Silence
    flags: list[FlagWaiting]  # waiting, newest first
    points: list[int | None]  # first-step pain of the last SPARK_DAYS days, oldest first
    spark: Spark
    trend: Trend
    sessions_week: int
    prescribed_week: int
    routines: list[str]

    @property
    def behind(self) -> bool:
        return self.sessions_week < self.prescribed_week

    @property
    def seen_through(self) -> datetime | None:
        return seen_through(self.flags)


@dataclass(frozen=True)
class PatientPage:
    rows: list[PatientRow]
    query: ListQuery
    page: int
    pages: int
    matching: int  # patients that match the search and filters
    patients: int  # all of the clinic's patients
    counts: dict[Filter, int] = field(default_factory=dict)  # the alerts, clinic-wide

    @property
    def first(self) -> int:
        return (self.page - 1) * PAGE_SIZE + 1 if self.rows else 0

    @property
    def last(self) -> int:
        return self.first + len(self.rows) - 1 if self.rows else 0


# Each query below is built and compiled once per key (footing.sql.CompiledQueries): the
# key names everything its queryset is built from, so a request only executes SQL.
_QUERIES = CompiledQueries()


def patient_page(*, membership: Membership, query: ListQuery, now: datetime) -> PatientPage:
    """Two phases: over all the clinic's patients only the alerts' counts, the filters and
    the sort key are computed, to pick the page's ids; every column is computed for those
    rows alone (the page's query holds the first phase as its subquery)."""
    clinic_id = membership.clinic_id
    days = zone_days(zones=_zones(clinic_id=clinic_id), now=now)
    shape = _Shape(clinic_id, days, query)
    [(n_patients, n_flagged, n_silent, n_matching)] = _QUERIES.rows(
        ("totals", *shape.key), shape.totals
    ) or [(0, 0, 0, 0)]
    in_python = query.sort in (Sort.TREND, Sort.SESSIONS) or Filter.RISING in query.filters
    ordered_ids = _ordered_in_python(shape, now=now) if in_python else []
    count = len(ordered_ids) if in_python else n_matching
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(query.page, 1), pages)
    start, stop = (page - 1) * PAGE_SIZE, page * PAGE_SIZE
    if in_python:
        shown = ordered_ids[start:stop]
        by_id = {row[0]: row for row in shape.rows_of(shown)}
        found = [by_id[user_id] for user_id in shown]
    else:
        found = _QUERIES.rows(
            ("page", *shape.key, query.sort, query.descending, start, stop),
            lambda: shape.page_rows(start, stop),
        )
    return PatientPage(
        rows=_rows(found, clinic_id=clinic_id, now=now),
        query=query,
        page=page,
        pages=pages,
        matching=count,
        patients=n_patients,
        counts={Filter.FLAGGED: n_flagged, Filter.SILENT: n_silent},
    )


@dataclass(frozen=True)
class _Shape:
    """The list's queries for one clinic, its zones' days and the clinician's search,
    filters and sort; `key` names all of it (footing.sql.CompiledQueries)."""

    clinic_id: int
    days: dict[str, date]
    query: ListQuery

    @property
    def key(self) -> tuple[Any, ...]:
        words = tuple(self.query.search.split())
        return (self.clinic_id, tuple(self.days.items()), words, tuple(sorted(self.query.filters)))

    def patients(self) -> QuerySet[Membership]:
        return _patients(clinic_id=self.clinic_id, days=self.days)

    def matching(self) -> QuerySet[Membership]:
        return self.patients().filter(_matching_q(self.query))

    def totals(self) -> QuerySet[Membership, Any]:
        """One row: the clinic's patients, those with red flags waiting, those quiet, and
        those matching the search and filters, in one pass. Named apart from the aliases
        they count: an aggregate named like an alias would shadow it in its own filter
        (PostgreSQL then reads a column that is not there)."""
        matching = _matching_q(self.query)
        return (
            self.patients()
            .values("clinic_id")
            .annotate(
                n_patients=Count("pk"),
                n_flagged=Count("pk", filter=Q(waiting=True)),
                n_silent=Count("pk", filter=Q(silent=True)),
                n_matching=Count("pk", filter=matching) if matching else Count("pk"),
            )
            .values_list("n_patients", "n_flagged", "n_silent", "n_matching")
        )

    def page_rows(self, start: int, stop: int) -> QuerySet[Membership, Any]:
        """The page's rows with every column, in order: the sort and filters pick the
        page's ids over all patients (the subquery), the columns are computed for those."""
        ids = _ordered(self.matching(), self.query)[start:stop].values("user_id")
        return _row_values(_ordered(self.patients().filter(user_id__in=ids), self.query))

    def rows_of(self, user_ids: list[int]) -> QuerySet[Membership, Any]:
        return _row_values(self.patients().filter(user_id__in=user_ids))

    def people(self) -> QuerySet[Membership, Any]:
        """(user id, zone) of every matching patient, by name."""
        return (
            self.matching()
            .annotate(zone=F("person_zone"))
            .order_by(Lower("person_name"), "user_id")
            .values_list("user_id", "zone")
        )


# ---- the clinic's patients as one query ------------------------------------------------
def _memberships(*, clinic_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(clinic_id=clinic_id, role=Role.PATIENT).order_by()


def _zones(*, clinic_id: int) -> list[str]:
    """The time zones the clinic's patients live in."""
    zone = person_columns(user="user__").zone
    rows = _QUERIES.rows(
        ("zones", clinic_id),
        lambda: (
            _memberships(clinic_id=clinic_id).annotate(zone=zone).values_list("zone").distinct()
        ),
    )
    return [name for (name,) in rows]


def _patients(*, clinic_id: int, days: dict[str, date]) -> QuerySet[Membership]:
    """Aliases, not annotations: each query below compiles only the columns it uses."""
    person = person_columns(user="user__")
    checkins = checkin_columns(user_id="user_id")
    attention = attention_columns(days=days)
    return (
        _memberships(clinic_id=clinic_id)
        .alias(
            person_name=person.name,
            person_email=person.email,
            person_phone=person.phone,
            person_zone=person.zone,
            checkin_last_date=checkins.last_date,
            checkin_last_pain=checkins.last_pain,
            checkin_flagged_date=checkins.flagged_date,
            checkin_flagged_at=checkins.flagged_at,
        )
        .alias(waiting=attention.waiting, silent=attention.silent)
    )


def _matching_q(query: ListQuery) -> Q:
    """The search (every word, in the name or email) and the filters the database does."""
    found = Q()
    for word in query.search.split():
        found &= (
            Q(person_name__icontains=word)
            | Q(person_email__icontains=word)
            | Q(user__username__icontains=word)
        )
    if Filter.FLAGGED in query.filters:
        found &= Q(waiting=True)
    if Filter.SILENT in query.filters:
        found &= Q(silent=True)
    if Filter.UNPRESCRIBED in query.filters:
        found &= Q(~Exists(_active_prescriptions()))
    return found


def _active_prescriptions() -> QuerySet[Prescription]:
    """Inside a query over patient memberships: that patient's active prescriptions."""
    return Prescription.objects.filter(
        clinic_id=OuterRef("clinic_id"), patient_id=OuterRef("user_id"), active=True
    )


def _ordered(found: QuerySet[Membership], query: ListQuery) -> QuerySet[Membership]:
    """In the database: the sort's column, patients without a value for it last, then
    name and id, so pages never overlap or skip anyone."""
    name = Lower("person_name")
    if query.sort is Sort.ATTENTION:
        rank = Case(
            When(waiting=True, then=Value(0)),
            When(silent=True, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        newest_flag = Case(When(waiting=True, then=F("checkin_flagged_date")))
        quiet_since = Case(When(silent=True, then=F("checkin_last_date")))
        keys = [
            rank.asc(),
            newest_flag.desc(nulls_last=True),
            quiet_since.asc(nulls_first=True),  # never checked in: quiet the longest
        ]
    else:
        column = _SQL_SORTS[query.sort]()
        ascending = SORT_ASCENDING[query.sort] != query.descending
        keys = [column.asc(nulls_last=True) if ascending else column.desc(nulls_last=True)]
    return found.order_by(*keys, name.asc(), "user_id")


def _routine_title() -> Subquery:
    titles = _active_prescriptions().order_by("routine__title")
    return Subquery(titles.values("routine__title")[:1], output_field=CharField())


# Each sort's own direction (True: ascending); `ListQuery.descending` turns it round.
SORT_ASCENDING = {
    Sort.ATTENTION: True,
    Sort.NAME: True,
    Sort.FLAGS: False,
    Sort.LAST: False,
    Sort.PAIN: True,
    Sort.TREND: True,
    Sort.SESSIONS: True,
    Sort.ROUTINE: True,
}

# The sorts the database does, by column.
_SQL_SORTS: dict[Sort, Callable[[], Any]] = {
    Sort.NAME: lambda: Lower("person_name"),
    Sort.FLAGS: lambda: Case(When(waiting=True, then=F("checkin_flagged_date"))),
    Sort.LAST: lambda: F("checkin_last_date"),
    Sort.PAIN: lambda: F("checkin_last_pain"),
    Sort.ROUTINE: lambda: Lower(_routine_title()),
}


def _ordered_in_python(shape: _Shape, *, now: datetime) -> list[int]:
    """The sorts and the filter that need every matching patient's recent mornings or
    this week's sessions: read those in one query, as plain values, and order here."""
    query, clinic_id = shape.query, shape.clinic_id
    people: list[tuple[int, str]] = _QUERIES.rows(("people", *shape.key), shape.people)
    zones = {user_id: ZoneInfo(zone) for user_id, zone in people}
    keys: dict[int, float | None] = {}
    if query.sort is Sort.TREND or Filter.RISING in query.filters:
        today = {user_id: now.astimezone(zone).date() for user_id, zone in zones.items()}
        trends = {u: pain_trend(p) for u, p in pain_points(days=today, span=SPARK_DAYS).items()}
        if Filter.RISING in query.filters:
            people = [(u, z) for u, z in people if trends[u].pain_rising]
        if query.sort is Sort.TREND:
            keys = {u: trends[u].pain_change for u, _ in people}
    if query.sort is Sort.SESSIONS:
        done = sessions_this_week_by_user(zones=zones, now=now)
        days_a_week = _days_a_week(clinic_id=clinic_id, patient_ids=list(zones))
        keys = {
            u: done.get(u, 0) / days_a_week[u] if days_a_week.get(u) else None for u, _ in people
        }
    ids = [u for u, _ in people]
    if query.sort not in (Sort.TREND, Sort.SESSIONS):  # "pain rising", sorted as asked
        ordered = _ordered(shape.matching().filter(user_id__in=ids), query)
        return list(ordered.values_list("user_id", flat=True))
    known = [u for u in ids if keys.get(u) is not None]
    known.sort(key=lambda u: keys[u] or 0.0, reverse=SORT_ASCENDING[query.sort] == query.descending)
    return known + [u for u in ids if keys.get(u) is None]


def _days_a_week(*, clinic_id: int, patient_ids: list[int]) -> dict[int, int]:
    """Days a week prescribed, over each patient's active prescriptions."""
    total: dict[int, int] = {}
    for patient_id, days in Prescription.objects.filter(
        clinic_id=clinic_id, patient_id__in=patient_ids, active=True
    ).values_list("patient_id", "days_per_week"):
        total[patient_id] = total.get(patient_id, 0) + days
    return total


# ---- the page's rows -------------------------------------------------------------------
def _row_values(patients: QuerySet[Membership]) -> QuerySet[Membership, Any]:
    """Every column of the list, for the rows `patients` holds (the page's)."""
    return patients.annotate(
        name=F("person_name"),
        email=F("person_email"),
        phone=F("person_phone"),
        zone=F("person_zone"),
        last_date=F("checkin_last_date"),
        last_pain=F("checkin_last_pain"),
        flagged_date=F("checkin_flagged_date"),
        flagged_at=F("checkin_flagged_at"),
    ).values_list(
        "user_id",
        "name",
        "email",
        "phone",
        "zone",
        "created_at",
        "last_date",
        "last_pain",
        "quiet_until",
        "flags_handled_through",
        "flagged_date",
        "flagged_at",
    )


def _rows(values: list[Any], *, clinic_id: int, now: datetime) -> list[PatientRow]:
    """The page's rows from their columns (`_row_values`, in the page's order): a fixed
    number of queries read their sparklines, waiting flags, sessions and prescriptions."""
    if not values:
        return []
    found = {row[0]: row for row in values}
    shown = [row[0] for row in values]
    zones = {user_id: ZoneInfo(found[user_id][4]) for user_id in shown}
    today = {user_id: now.astimezone(zone).date() for user_id, zone in zones.items()}
    points = pain_points(days=today, span=SPARK_DAYS)
    flagged: dict[int, list[FlaggedMorning]] = {}
    waiting = [
        user_id
        for user_id in shown
        if flag_waiting(
            flagged_date=found[user_id][10],
            flagged_at=found[user_id][11],
            handled=found[user_id][9],
            today=today[user_id],
        )
    ]
    if waiting:
        since = flag_window_start(today=min(today[u] for u in waiting))
        for morning in flagged_mornings(user_ids=waiting, since=since):
            flagged.setdefault(morning.user_id, []).append(morning)
    sessions = sessions_this_week_by_user(zones=zones, now=now)
    prescribed: dict[int, tuple[int, list[str]]] = {}
    for patient_id, days, title in (
        Prescription.objects.filter(clinic_id=clinic_id, patient_id__in=shown, active=True)
        .order_by("routine__title")
        .values_list("patient_id", "days_per_week", "routine__title")
    ):
        total, titles = prescribed.get(patient_id, (0, []))
        prescribed[patient_id] = (total + days, [*titles, title])
    rows = []
    for user_id in shown:
        _, name, email, phone, _, joined, last, pain, quiet, handled = found[user_id][:10]
        zone = zones[user_id]
        days, titles = prescribed.get(user_id, (0, []))
        rows.append(
            PatientRow(
                user_id=user_id,
                name=name,
                email=email,
                phone=phone,
                tel=tel_link(phone),
                joined=joined,
                last_checkin=last,
                last_pain=pain,
                silence=silence(
                    last_checkin=last,
                    joined=joined.astimezone(zone).date(),
                    snoozed=quiet,
                    today=today[user_id],
                ),
                flags=flags_waiting(
                    flagged.get(user_id, []), handled=handled, today=today[user_id]
                ),
                points=points[user_id],
                spark=sparkline(points[user_id]),
                trend=pain_trend(points[user_id]),
                sessions_week=sessions.get(user_id, 0),
                prescribed_week=days,
                routines=titles,
            )
        )
    return rows
