"""The clinic's list of its patients: who needs a call first, and how each one is doing.

Built to answer as fast for 1,000 patients as for 10. One statement searches, filters,
sorts, counts and pages one row per patient: phase one computes each patient's values
once (a MATERIALIZED common table expression over the membership (handled and snoozed),
accounts (name, zone) and journal's newest morning and newest red flag still waiting,
each one index seek: journal.selectors.checkin_columns / red_flag_day), the attention
rules are SQL over those columns (clinic/selectors/attention.py), the sort keeps only
what its keys read, and phase two reads what only the rows show (email, phone, pain now,
zone, joined, snooze, handled) for the page's patients alone: nothing read from anyone's
history. The page's rows are then filled in with a fixed number of
queries (sparkline points, waiting flags, this week's sessions, prescriptions). Sorting
by the pain trend or by this week's sessions, and the "pain rising" filter, need every
matching patient's recent mornings or sessions: those read them for the matching
patients in one query each, as plain values. No query builds an object per check-in,
and the number of queries never depends on the number of patients.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DateField,
    DateTimeField,
    Exists,
    ExpressionWrapper,
    F,
    Field,
    OuterRef,
    Q,
    QuerySet,
    StringAgg,
    Subquery,
    Sum,
    TextField,
    Value,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast, Coalesce, Length, Lower

from accounts.selectors import person_columns, tel_link
from clinic.models import Membership, Prescription, Role
from clinic.selectors.attention import (
    SILENT_SQL,
    WAITING_SQL,
    FlagWaiting,
    Silence,
    flags_waiting,
    per_zone,
    seen_through,
    silence,
    zone_columns,
    zone_days,
)
from clinic.sparkline import Spark, sparkline
from footing.sql import CompiledQueries, JoinedText, WrittenTrue, run_sql
from journal.advice import Trend
from journal.selectors import (
    checkin_columns,
    flagged_mornings_parse,
    flagged_mornings_text,
    pain_points_parse,
    pain_points_text,
    pain_trend,
    red_flag_day,
)
from training.selectors import sessions_between_column, sessions_this_week_by_user, week_columns

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


# The per-patient part of the list's statements is built by the ORM and compiled once per
# key (footing.sql.CompiledQueries): the key names everything it is built from, so a
# request only writes the statement around it and executes it.
_QUERIES = CompiledQueries()


def patient_page(*, membership: Membership, query: ListQuery, now: datetime) -> PatientPage:
    """Two phases in one statement: over all the clinic's patients, each patient's values
    are computed once (a MATERIALIZED common table expression), then the alerts' counts,
    the filters and the sort over them pick the page's rows; then a fixed number of
    queries fill in those rows alone."""
    clinic_id = membership.clinic_id
    zones = _zones(clinic_id=clinic_id)
    shape = _Shape(clinic_id, zone_days(zones=zones, now=now), query)
    asked = max(query.page, 1)
    found: list[Any] = []
    ordered_ids: list[int] = []
    if not zones:  # no patients yet
        totals = _Totals(0, 0, 0, 0)
    elif _sorted_in_python(query):
        totals, ordered_ids = _ordered_in_python(shape, now=now)
    else:
        totals, found = shape.page(asked)
    in_python = bool(zones) and _sorted_in_python(query)
    count = len(ordered_ids) if in_python else totals.matching
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(asked, pages)
    if in_python:
        shown = ordered_ids[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
        by_id = {row[0]: row for row in shape.rows_of(shown)}
        found = [by_id[user_id] for user_id in shown]
    elif page != asked:  # past the last page: show the last one
        totals, found = shape.page(page)
    return PatientPage(
        rows=_rows(found, now=now),
        query=query,
        page=page,
        pages=pages,
        matching=count,
        patients=totals.patients,
        counts={Filter.FLAGGED: totals.flagged, Filter.SILENT: totals.silent},
    )


def _sorted_in_python(query: ListQuery) -> bool:
    return query.sort in (Sort.TREND, Sort.SESSIONS) or Filter.RISING in query.filters


@dataclass(frozen=True)
class _Totals:
    patients: int  # all of the clinic's patients
    flagged: int  # with red flags waiting
    silent: int  # quiet for SILENT_DAYS or more
    matching: int  # matching the search and the filters the database does


# ---- the statements --------------------------------------------------------------------
# Phase one, over all the clinic's patients: what the counts, the filters and the sorts
# read, one row per patient (`_base`), in this order; the statements below read these names.
_COLUMNS = (
    "user_id",
    "name",
    "zone",
    "joined",
    "quiet_until",
    "handled",
    "last_date",
    "waiting_day",  # the newest red-flagged day still waiting (NULL: none waiting)
    "today",
    "quiet_day",
    "joined_before",
    "found",  # matches the search and "no prescription"
    "sort_value",  # pain now, or the first routine's title in lower case (those sorts)
)
# What the sort keeps of each patient while it picks the page's (`shown`): what the sort
# keys read, and no more (every patient's row goes through the sorter).
_SHOWN = ("user_id", "name", "waiting", "silent", "waiting_day", "last_date", "sort_value")
# Phase two, for the page's rows alone (`_details`): what only the rows show, each
# patient's mornings, flags, sessions and prescriptions folded into one value apiece.
_DETAILS = (
    "user_id",
    "email",
    "phone",
    "last_pain",
    "zone",
    "joined",
    "quiet_until",
    "handled",
    "points",  # the sparkline's mornings (journal.selectors.pain_points_text)
    "flagged",  # the red-flagged mornings still waiting (flagged_mornings_text)
    "sessions",  # this week's, on the patient's calendar
    "days_a_week",  # over the active prescriptions
    "titles",  # their routines' titles (`_titles_text`)
)
# What the page's rows read (`_rows`), from where, and the field each comes back as.
_ROW: tuple[tuple[str, Field[Any, Any] | None], ...] = (
    ("shown.user_id", None),
    ("shown.name", None),
    ("details.email", None),
    ("details.phone", None),
    ("details.zone", None),
    ("details.joined", DateTimeField()),
    ("shown.last_date", DateField()),
    ("details.last_pain", None),
    ("details.quiet_until", DateField()),
    ("details.handled", DateTimeField()),
    ("shown.waiting_day", DateField()),
    ("details.points", None),
    ("details.flagged", None),
    ("details.sessions", None),
    ("details.days_a_week", None),
    ("details.titles", None),
)
_ROW_SQL = ", ".join(name for name, _ in _ROW)
_ROW_FIELDS = tuple(field for _, field in _ROW)
_TOTALS = (
    "totals AS (SELECT COUNT(*) AS n_patients,"
    " COUNT(CASE WHEN waiting THEN 1 END) AS n_flagged,"
    " COUNT(CASE WHEN silent THEN 1 END) AS n_silent,"
    " COUNT(CASE WHEN {match} THEN 1 END) AS n_matching FROM judged)"
)


@dataclass(frozen=True)
class _Shape:
    """The list's statements for one clinic, its zones' days and the clinician's search,
    filters and sort; `key` names all of it (footing.sql.CompiledQueries)."""

    clinic_id: int
    days: dict[str, date]
    query: ListQuery

    @property
    def key(self) -> tuple[Any, ...]:
        words = tuple(self.query.search.split())
        return (self.clinic_id, tuple(self.days.items()), words, tuple(sorted(self.query.filters)))

    @property
    def sort_value(self) -> Sort | None:
        return self.query.sort if self.query.sort in (Sort.PAIN, Sort.ROUTINE) else None

    def _judged(self, *, where: str = "") -> tuple[str, list[Any]]:
        """`patients`: each patient's phase-one values, computed once; `judged`: with the
        attention rules over them. Materialised: SQLite would otherwise repeat each
        patient's subqueries wherever the sort and the counts name a column. With `where`
        (some patients only) the patients' part is left to the planner, which then reads
        only those."""
        key = ("patients", *self.key, self.sort_value)
        sql, params = _QUERIES.sql(key, lambda: _base(self))
        how = "NOT MATERIALIZED" if where else "MATERIALIZED"
        return (
            f"WITH patients ({', '.join(_COLUMNS)}) AS {how} ({sql}), judged AS MATERIALIZED"
            f" (SELECT patients.*, ({WAITING_SQL}) AS waiting, ({SILENT_SQL}) AS silent"
            f" FROM patients {where})",
            list(params),
        )

    def _details(self) -> tuple[str, list[Any]]:
        """`details`: phase two, for the patients in `shown` alone."""
        key = ("details", self.clinic_id, tuple(self.days.items()))
        sql, params = _QUERIES.sql(key, lambda: _details(self.days))
        return f"details ({', '.join(_DETAILS)}) AS MATERIALIZED ({sql})", list(params)

    @property
    def _match(self) -> str:
        """The search and the filters the database does, over `judged`."""
        parts = ["found"]
        if Filter.FLAGGED in self.query.filters:
            parts.append("waiting")
        if Filter.SILENT in self.query.filters:
            parts.append("silent")
        return " AND ".join(parts)

    def page(self, page: int) -> tuple[_Totals, list[Any]]:
        """The counts, and the page's rows (`_ROW`) in order, in one statement."""
        judged, params = self._judged()
        details, details_params = self._details()
        keys = _order_sql(self.query)
        sql = (
            f"{judged}, {_TOTALS.format(match=self._match)},"
            f" shown AS MATERIALIZED (SELECT {', '.join(_SHOWN)} FROM judged WHERE {self._match}"
            f" ORDER BY {keys.format(of='')} LIMIT %s OFFSET %s), {details}"
            f" SELECT n_patients, n_flagged, n_silent, n_matching, {_ROW_SQL}"
            " FROM totals LEFT JOIN shown ON TRUE"
            " LEFT JOIN details ON details.user_id = shown.user_id"
            f" ORDER BY {keys.format(of='shown.')}"
        )
        params += [PAGE_SIZE, (page - 1) * PAGE_SIZE, *details_params]
        rows = run_sql(sql, params, (None, None, None, None, *_ROW_FIELDS))
        totals = _Totals(*(int(n or 0) for n in rows[0][:4]))
        return totals, [row[4:] for row in rows if row[4] is not None]

    def everyone(self) -> tuple[_Totals, list[tuple[int, str]]]:
        """The counts, and (user id, zone) of every matching patient: in the order asked
        where the database sorts, else by name (the sorts done in Python keep it for
        ties)."""
        judged, params = self._judged()
        by = self.query if self.query.sort in _SQL_SORTS else ListQuery(sort=Sort.NAME)
        sql = (
            f"{judged}, {_TOTALS.format(match=self._match)}"
            " SELECT n_patients, n_flagged, n_silent, n_matching, shown.user_id, shown.zone"
            f" FROM totals LEFT JOIN (SELECT * FROM judged WHERE {self._match}) shown ON TRUE"
            f" ORDER BY {_order_sql(by).format(of='shown.')}"
        )
        rows = run_sql(sql, params, (None,) * 6)
        totals = _Totals(*(int(n or 0) for n in rows[0][:4]))
        return totals, [(row[4], row[5]) for row in rows if row[4] is not None]

    def rows_of(self, user_ids: list[int]) -> list[Any]:
        """The rows (`_ROW`) of these patients, in no order."""
        if not user_ids:
            return []
        marks = ", ".join(["%s"] * len(user_ids))
        judged, params = self._judged(where=f"WHERE user_id IN ({marks})")
        details, details_params = self._details()
        sql = (
            f"{judged}, shown AS MATERIALIZED (SELECT {', '.join(_SHOWN)} FROM judged), {details}"
            f" SELECT {_ROW_SQL} FROM shown LEFT JOIN details ON details.user_id = shown.user_id"
        )
        return run_sql(sql, [*params, *user_ids, *details_params], _ROW_FIELDS)


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


def _base(shape: _Shape) -> QuerySet[Membership, Any]:
    """Phase one: a row per patient of the clinic with the columns `_COLUMNS` names, in
    order: accounts' name and zone, journal's newest morning and newest red flag still
    waiting, the patient's own calendar (attention.zone_columns)."""
    person = person_columns(user="user__")
    zone = zone_columns(days=shape.days)
    found = _found_q(shape.query)
    sort_value: Any = Value(None, output_field=CharField())
    if shape.sort_value is Sort.PAIN:
        sort_value = checkin_columns(user_id="user_id").last_pain
    elif shape.sort_value is Sort.ROUTINE:
        sort_value = Lower(_routine_title())
    names = [f"c_{name}" for name in _COLUMNS[1:]]
    columns = [
        F("person_name"),
        F("person_zone"),
        F("created_at"),
        F("quiet_until"),
        F("flags_handled_through"),
        checkin_columns(user_id="user_id").last_date,
        red_flag_day(
            user_id="user_id", since="flag_window", received_after="flags_handled_through"
        ),
        zone.today,
        zone.quiet_day,
        zone.joined_before,
        ExpressionWrapper(found, output_field=BooleanField()) if found else Value(True),
        sort_value,
    ]
    return (
        _memberships(clinic_id=shape.clinic_id)
        .alias(
            person_name=person.name,
            person_email=person.email,
            person_zone=person.zone,
            flag_window=zone.window,
        )
        .annotate(**dict(zip(names, columns, strict=True)))
        .values_list("user_id", *names)
    )


def _details(days: dict[str, date]) -> QuerySet[Membership, Any]:
    """Phase two: `_DETAILS` of the patients in the statement's `shown` (the page's), one
    row each: their sparkline's mornings, waiting flags, this week's sessions and
    prescriptions are each one value (text the rows parse), not a row per morning."""
    person = person_columns(user="user__")
    zone = zone_columns(days=days)
    week = week_columns(zone="person_zone", days=days)
    prescribed = _active_prescriptions().order_by().values("patient_id")
    return (
        # `shown` holds this clinic's patients alone and a person has one membership
        # (membership_one_per_user): their ids pick the clinic's rows. Naming the clinic
        # too made SQLite walk the clinic's index, every patient, for the page's 50.
        Membership.objects.filter(user_id__in=RawSQL("SELECT user_id FROM shown", ()))
        .order_by()
        .alias(
            person_zone=person.zone,
            flag_window=zone.window,
            spark_start=_spark_start(days),
            today=zone.today,
            week_since=week.since,
            week_until=week.until,
        )
        .annotate(
            d_email=person.email,
            d_phone=person.phone,
            d_last_pain=checkin_columns(user_id="user_id").last_pain,
            d_zone=F("person_zone"),
            d_points=pain_points_text(user_id="user_id", since="spark_start", until="today"),
            d_flagged=flagged_mornings_text(
                user_id="user_id", since="flag_window", received_after="flags_handled_through"
            ),
            d_sessions=sessions_between_column(
                user_id="user_id", since="week_since", until="week_until"
            ),
            d_days=Coalesce(Subquery(prescribed.annotate(n=Sum("days_per_week")).values("n")), 0),
            d_titles=Subquery(
                prescribed.annotate(text=_titles_text()).values("text"), output_field=TextField()
            ),
        )
        .values_list(
            "user_id",
            "d_email",
            "d_phone",
            "d_last_pain",
            "d_zone",
            "created_at",
            "quiet_until",
            "flags_handled_through",
            "d_points",
            "d_flagged",
            "d_sessions",
            "d_days",
            "d_titles",
        )
    )


def _spark_start(days: dict[str, date]) -> Case:
    """Each patient's first sparkline day, on their own calendar (`_Shape.days`)."""
    return per_zone(
        days=days, value=lambda _, today: today - timedelta(days=SPARK_DAYS - 1), field=DateField()
    )


def _points(shape: _Shape) -> dict[int, str | None]:
    """Every patient's sparkline mornings as one text each (journal.pain_points_text), for
    the sorts and the filter that read every matching patient's trend."""

    def build() -> QuerySet[Membership, Any]:
        return (
            _memberships(clinic_id=shape.clinic_id)
            .alias(
                person_zone=person_columns(user="user__").zone,
                spark_start=_spark_start(shape.days),
                today=zone_columns(days=shape.days).today,
            )
            .annotate(
                p_points=pain_points_text(user_id="user_id", since="spark_start", until="today")
            )
            .values_list("user_id", "p_points")
        )

    return dict(_QUERIES.rows(("points", shape.clinic_id, tuple(shape.days.items())), build))


def _titles_text() -> StringAgg:
    """The titles of a patient's prescribed routines as one text, each title after its
    length and a colon (a title may hold any character): `_titles_parse` reads it."""
    title = F("routine__title")
    one = JoinedText(Cast(Length(title), CharField()), Value(":"), title)
    return StringAgg(one, Value(""))


def _titles_parse(text: str | None) -> list[str]:
    """`_titles_text`'s value, as the list shows the titles: in order."""
    titles, at = [], 0
    while text and at < len(text):
        colon = text.index(":", at)
        end = colon + 1 + int(text[at:colon])
        titles.append(text[colon + 1 : end])
        at = end
    return sorted(titles)


def _found_q(query: ListQuery) -> Q:
    """The search (every word, in the name or email) and "no prescription"."""
    found = Q()
    for word in query.search.split():
        found &= (
            Q(person_name__icontains=word)
            | Q(person_email__icontains=word)
            | Q(user__username__icontains=word)
        )
    if Filter.UNPRESCRIBED in query.filters:
        found &= Q(~Exists(_active_prescriptions()))
    return found


def _active_prescriptions() -> QuerySet[Prescription]:
    """Inside a query over patient memberships: that patient's active prescriptions. TRUE
    written out (footing.sql.WrittenTrue) lets SQLite seek the patient in the partial index
    of active prescriptions; a bound True left it the clinic's index: every prescription
    of the clinic read once per patient (40,000 rows for a page of 50 at 1,000 patients)."""
    return Prescription.objects.filter(
        clinic_id=OuterRef("clinic_id"), patient_id=OuterRef("user_id"), active=WrittenTrue()
    )


def _routine_title() -> Subquery:
    titles = _active_prescriptions().order_by("routine__title")
    return Subquery(titles.values("routine__title")[:1], output_field=CharField())


def _order_sql(query: ListQuery) -> str:
    """ORDER BY over `judged`'s columns (`{of}`: whose): the sort's column, patients
    without a value for it last, then name and id, so pages never overlap or skip anyone."""
    if query.sort is Sort.ATTENTION:
        keys = [
            "CASE WHEN {of}waiting THEN 0 WHEN {of}silent THEN 1 ELSE 2 END",
            "CASE WHEN {of}waiting THEN {of}waiting_day END DESC NULLS LAST",  # newest first
            # Quiet the longest first (never: first), among the quiet ones alone: a patient
            # with a red flag waiting may be quiet too, and ranks among the red flags by day.
            "CASE WHEN {of}silent AND NOT {of}waiting THEN {of}last_date END ASC NULLS FIRST",
        ]
    else:
        ascending = SORT_ASCENDING[query.sort] != query.descending
        keys = [f"{_SQL_SORTS[query.sort]} {'ASC' if ascending else 'DESC'} NULLS LAST"]
    return ", ".join([*keys, "LOWER({of}name)", "{of}user_id"])


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

# The sorts the database does, by column of `judged` (the attention sort: `_order_sql`).
_SQL_SORTS: dict[Sort, str] = {
    Sort.NAME: "LOWER({of}name)",
    Sort.FLAGS: "CASE WHEN {of}waiting THEN {of}waiting_day END",
    Sort.LAST: "{of}last_date",
    Sort.PAIN: "{of}sort_value",
    Sort.ROUTINE: "{of}sort_value",
}


def _ordered_in_python(shape: _Shape, *, now: datetime) -> tuple[_Totals, list[int]]:
    """The sorts and the filter that need every matching patient's recent mornings or
    this week's sessions: read those in one query, as plain values, and order here."""
    query, clinic_id = shape.query, shape.clinic_id
    totals, people = shape.everyone()
    zones = {user_id: ZoneInfo(zone) for user_id, zone in people}
    keys: dict[int, float | None] = {}
    if query.sort is Sort.TREND or Filter.RISING in query.filters:
        texts = _points(shape)
        trends = {
            u: pain_trend(
                pain_points_parse(texts[u], today=now.astimezone(zone).date(), span=SPARK_DAYS)
            )
            for u, zone in zones.items()
        }
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
    if query.sort not in (Sort.TREND, Sort.SESSIONS):  # "pain rising", in the order asked
        return totals, ids
    known = [u for u in ids if keys.get(u) is not None]
    known.sort(key=lambda u: keys[u] or 0.0, reverse=SORT_ASCENDING[query.sort] == query.descending)
    return totals, known + [u for u in ids if keys.get(u) is None]


def _days_a_week(*, clinic_id: int, patient_ids: list[int]) -> dict[int, int]:
    """Days a week prescribed, over each patient's active prescriptions."""
    total: dict[int, int] = {}
    for patient_id, days in Prescription.objects.filter(
        clinic_id=clinic_id, patient_id__in=patient_ids, active=True
    ).values_list("patient_id", "days_per_week"):
        total[patient_id] = total.get(patient_id, 0) + days
    return total


# ---- the page's rows -------------------------------------------------------------------
def _rows(values: list[Any], *, now: datetime) -> list[PatientRow]:
    """The page's rows from their columns (`_ROW`, in the page's order): every value is
    in them already (the sparkline's mornings, waiting flags, sessions, prescriptions)."""
    rows = []
    for row in values:
        user_id, name, email, phone, zone_name, joined, last, pain, quiet, handled = row[:10]
        points_text, flagged_text, sessions, days, titles = row[11:16]
        zone = ZoneInfo(zone_name)
        today = now.astimezone(zone).date()
        points = pain_points_parse(points_text, today=today, span=SPARK_DAYS)
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
                    today=today,
                ),
                flags=flags_waiting(
                    flagged_mornings_parse(user_id, flagged_text), handled=handled, today=today
                ),
                points=points,
                spark=sparkline(points),
                trend=pain_trend(points),
                sessions_week=int(sessions),
                prescribed_week=int(days),
                routines=_titles_parse(titles),
            )
        )
    return rows
