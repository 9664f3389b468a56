"""Clinic routes. Staff routes (/clinic/...) need a clinician's session (CSRF on): 401
when not logged in, 403 for patients and runners (clinic/permissions.py decides), except
the notes on a patient, which answer 404 to everyone but the clinic's staff. The
clinic's routines are in api/clinic_routines.py; push subscriptions in api/notifications.py."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Query, Router, Schema, Status
from ninja.renderers import JSONRenderer

from accounts.selectors import display_name
from api.schemas import ErrorOut
from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_auth, notes_auth
from clinic.selectors.patient_list import (
    SEARCH_MAX,
    Filter,
    ListQuery,
    PatientPage,
    PatientRow,
    Sort,
    patient_page,
)
from clinic.selectors.patient_page import Note, patient_notes

router = Router(tags=["clinic"], auth=clinician_auth)

STAFF_ERRORS = {401: ErrorOut, 403: ErrorOut}
RENDERER = JSONRenderer()
RENDERED_AS = f"{RENDERER.media_type}; charset={RENDERER.charset}"


class PatientListIn(Schema):
    """The list's query: search, filters (repeat `filter`), sort and page, as on the page."""

    q: Annotated[str, Field(max_length=SEARCH_MAX)] = ""
    filter: list[Literal["flagged", "silent", "rising", "unprescribed"]] = []
    sort: Literal["attention", "name", "flags", "last", "pain", "trend", "sessions", "routine"] = (
        "attention"
    )
    dir: Literal["asc", "desc"] = "asc"
    page: Annotated[int, Field(ge=1, le=100_000)] = 1


class FlagOut(Schema):
    day: date
    age_days: int = Field(alias="age")
    labels: list[str]


class PatientRowOut(Schema):
    id: int = Field(alias="user_id")
    name: str
    email: str
    phone: str
    last_checkin: date | None
    days_since_checkin: int | None
    no_checkin_alert: bool
    snoozed_until: date | None
    last_pain: int | None
    # First-step pain of the last 14 days on the patient's calendar, oldest first.
    pain_14_days: list[int | None] = Field(alias="points")
    pain_change: float | None
    pain_rising: bool
    red_flags: list[FlagOut] = Field(alias="flags")
    sessions_this_week: int = Field(alias="sessions_week")
    prescribed_per_week: int = Field(alias="prescribed_week")
    routines: list[str]

    @staticmethod
    def resolve_days_since_checkin(obj: PatientRow) -> int | None:
        return None if obj.silence.never else obj.silence.days

    @staticmethod
    def resolve_no_checkin_alert(obj: PatientRow) -> bool:
        return obj.silence.alert

    @staticmethod
    def resolve_snoozed_until(obj: PatientRow) -> date | None:
        return obj.silence.snoozed_until

    @staticmethod
    def resolve_pain_change(obj: PatientRow) -> float | None:
        change = obj.trend.pain_change
        return round(change, 1) if change is not None else None

    @staticmethod
    def resolve_pain_rising(obj: PatientRow) -> bool:
        return obj.trend.pain_rising


class PatientPageOut(Schema):
    count: int = Field(alias="matching")
    page: int
    pages: int
    patients_in_clinic: int = Field(alias="patients")
    red_flags_waiting: int
    no_checkin_alerts: int
    patients: list[PatientRowOut] = Field(alias="rows")

    @staticmethod
    def resolve_red_flags_waiting(obj: PatientPage) -> int:
        return obj.counts.get(Filter.FLAGGED, 0)

    @staticmethod
    def resolve_no_checkin_alerts(obj: PatientPage) -> int:
        return obj.counts.get(Filter.SILENT, 0)


@router.get("/clinic/patients", response={200: PatientPageOut, 422: ErrorOut, **STAFF_ERRORS})
def patient_list(request: HttpRequest, query: Query[PatientListIn]) -> Any:
    """The clinic's patients, 50 a page: red flags waiting first (newest first), then
    those who stopped checking in, then by name, unless another sort is asked for."""
    page = patient_page(
        membership=_membership(request),
        query=ListQuery(
            search=query.q.strip(),
            filters=frozenset(Filter(value) for value in query.filter),
            sort=Sort(query.sort),
            descending=query.dir == "desc",
            page=query.page,
        ),
        now=timezone.now(),
    )
    content = RENDERER.render(request, patient_page_answer(page), response_status=200)
    return HttpResponse(content, content_type=RENDERED_AS)


def patient_page_answer(page: PatientPage) -> dict[str, Any]:
    """PatientPageOut's answer for a page, built as plain JSON values.

    Validating fifty rows through the schema, then dumping and encoding them, cost
    ≈ 0.1 ms a row: what made the 1,000-patient answer grow most after the statement
    (bench/profile.py --patients). The schema stays the documented answer;
    tests/api/test_patient_page_answer.py holds this to what the schema itself gives
    for any page, byte for byte as rendered."""
    return {
        "count": page.matching,
        "page": page.page,
        "pages": page.pages,
        "patients_in_clinic": page.patients,
        "red_flags_waiting": page.counts.get(Filter.FLAGGED, 0),
        "no_checkin_alerts": page.counts.get(Filter.SILENT, 0),
        "patients": [_row_answer(row) for row in page.rows],
    }


def _row_answer(row: PatientRow) -> dict[str, Any]:
    silence, trend, last, snoozed = row.silence, row.trend, row.last_checkin, None
    change = trend.pain_change
    if silence.snoozed_until is not None:
        snoozed = silence.snoozed_until.isoformat()
    return {
        "id": row.user_id,
        "name": row.name,
        "email": row.email,
        "phone": row.phone,
        "last_checkin": None if last is None else last.isoformat(),
        "days_since_checkin": None if silence.never else silence.days,
        "no_checkin_alert": silence.alert,
        "snoozed_until": snoozed,
        "last_pain": row.last_pain,
        "pain_14_days": list(row.points),
        "pain_change": None if change is None else round(change, 1),
        "pain_rising": trend.pain_rising,
        "red_flags": [
            {"day": flag.day.isoformat(), "age_days": flag.age, "labels": list(flag.labels)}
            for flag in row.flags
        ],
        "sessions_this_week": row.sessions_week,
        "prescribed_per_week": row.prescribed_week,
        "routines": list(row.routines),
    }


class NoteOut(Schema):
    by: str
    at: datetime
    body: str


class NoteIn(Schema):
    body: str


# Private to the clinic's staff: a patient, a runner and another clinic's staff are all
# told "not found", so not even a note's existence is revealed.
NOTE_ERRORS = {401: ErrorOut, 404: ErrorOut}


@router.get(
    "/clinic/patients/{patient_id}/notes",
    response={200: list[NoteOut], **NOTE_ERRORS},
    auth=notes_auth,
)
def note_list(request: HttpRequest, patient_id: int) -> Any:
    """The clinic's notes on one of its patients, newest first."""
    return patient_notes(membership=_membership(request), patient_id=patient_id)


@router.post(
    "/clinic/patients/{patient_id}/notes",
    response={201: NoteOut, 422: ErrorOut, **NOTE_ERRORS},
    auth=notes_auth,
)
def note_add(request: HttpRequest, patient_id: int, payload: NoteIn) -> Any:
    """A note on the patient (kept, never edited; at most 2,000 characters)."""
    membership = _membership(request)
    note = services.patient_note_add(
        membership=membership, patient_id=patient_id, body=payload.body, now=timezone.now()
    )
    return Status(201, Note(display_name(user=membership.user), note.created_at, note.body))


def _membership(request: HttpRequest) -> Membership:
    auth = getattr(request, "auth", None)
    assert isinstance(auth, Membership)  # set by clinician_auth
    return auth
