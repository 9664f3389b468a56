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
)
from clinic.sparkline import Spark, sparkline
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


def patient_page(*, membership: Membership, query: ListQuery, now: datetime) -> PatientPage:
    clinic_id = membership.clinic_id
    patients = _patients(clinic_id=clinic_id, now=now)
    # Named apart from the aliases they count: an aggregate named like an alias would
    # shadow it in its own filter (PostgreSQL then reads a column that is not there).
    totals = patients.aggregate(
        n_patients=Count("pk"),
        n_flagged=Count("pk", filter=Q(waiting=True)),
        n_silent=Count("pk", filter=Q(silent=True)),
    )
    matching = _matching(patients, query)
    if query.sort in (Sort.TREND, Sort.SESSIONS) or Filter.RISING in query.filters:
        ordered_ids = _ordered_in_python(matching, clinic_id=clinic_id, query=query, now=now)
        count = len(ordered_ids)
    else:
        ordered_ids = None
        count = (
            totals["n_patients"] if matching is patients else matching.aggregate(n=Count("pk"))["n"]
        )
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(query.page, 1), pages)
    start, stop = (page - 1) * PAGE_SIZE, page * PAGE_SIZE
    if ordered_ids is None:
        shown = list(_ordered(matching, query)[start:stop].values_list("user_id", flat=True))
    else:
        shown = ordered_ids[start:stop]
    return PatientPage(
        rows=_rows(shown, clinic_id=clinic_id, now=now),
        query=query,
        page=page,
        pages=pages,
        matching=count,
        patients=totals["n_patients"],
        counts={Filter.FLAGGED: totals["n_flagged"], Filter.SILENT: totals["n_silent"]},
    )


# ---- the clinic's patients as one query ------------------------------------------------
def _patients(*, clinic_id: int, now: datetime) -> QuerySet[Membership]:
    """Aliases, not annotations: each query below compiles only the columns it uses."""
    memberships = Membership.objects.filter(clinic_id=clinic_id, role=Role.PATIENT).order_by()
    person = person_columns(user="user__")
    checkins = checkin_columns(user_id="user_id")
    zones = list(memberships.annotate(zone=person.zone).values_list("zone", flat=True).distinct())
    attention = attention_columns(zones=zones, now=now)
    return memberships.alias(
        person_name=person.name,
        person_email=person.email,
        person_zone=person.zone,
        checkin_last_date=checkins.last_date,
        checkin_last_pain=checkins.last_pain,
        checkin_flagged_date=checkins.flagged_date,
        checkin_flagged_at=checkins.flagged_at,
    ).alias(waiting=attention.waiting, silent=attention.silent)


def _matching(patients: QuerySet[Membership], query: ListQuery) -> QuerySet[Membership]:
    found = patients
    for word in query.search.split():
        found = found.filter(
            Q(person_name__icontains=word)
            | Q(person_email__icontains=word)
            | Q(user__username__icontains=word)
        )
    if Filter.FLAGGED in query.filters:
        found = found.filter(Q(waiting=True))
    if Filter.SILENT in query.filters:
        found = found.filter(Q(silent=True))
    if Filter.UNPRESCRIBED in query.filters:
        found = found.filter(~Exists(_active_prescriptions()))
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


def _ordered_in_python(
    found: QuerySet[Membership], *, clinic_id: int, query: ListQuery, now: datetime
) -> list[int]:
    """The sorts and the filter that need every matching patient's recent mornings or
    this week's sessions: read those in one query, as plain values, and order here."""
    people = list(
        found.annotate(zone=F("person_zone"))
        .order_by(Lower("person_name"), "user_id")
        .values_list("user_id", "zone")
    )
    zones = {user_id: ZoneInfo(zone) for user_id, zone in people}
    keys: dict[int, float | None] = {}
    if query.sort is Sort.TREND or Filter.RISING in query.filters:
        days = {user_id: now.astimezone(zone).date() for user_id, zone in zones.items()}
        trends = {u: pain_trend(p) for u, p in pain_points(days=days, span=SPARK_DAYS).items()}
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
        return list(
            _ordered(found.filter(user_id__in=ids), query).values_list("user_id", flat=True)
        )
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
def _rows(shown: list[int], *, clinic_id: int, now: datetime) -> list[PatientRow]:
    if not shown:
        return []
    person = person_columns(user="user__")
    checkins = checkin_columns(user_id="user_id")
    found = {
        row[0]: row
        for row in Membership.objects.filter(clinic_id=clinic_id, user_id__in=shown)
        .annotate(
            name=person.name,
            email=person.email,
            phone=person.phone,
            zone=person.zone,
            last_date=checkins.last_date,
            last_pain=checkins.last_pain,
            flagged_date=checkins.flagged_date,
            flagged_at=checkins.flagged_at,
        )
        .values_list(
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
    }
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
