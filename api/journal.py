"""Morning check-ins and the runner's own account: their own only (session cookie, CSRF on)."""

from __future__ import annotations

from datetime import date, datetime, time
from decimal import Decimal
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from ninja import Field, Router, Schema, Status
from ninja.decorators import decorate_view
from ninja.pagination import paginate
from ninja.renderers import JSONRenderer
from ninja.security import django_auth

from accounts.selectors import local_today, profile_get
from api.body_run import body_run
from api.paging import Newest
from api.schemas import Day, ErrorOut, InSchema, Moment, Score, StrictBool
from clinic.selectors.contacts import care_contacts
from footing import dates
from footing.http import logged_in_user
from journal import selectors, services
from journal.advice import RED_FLAG_FIELDS
from journal.models import Activity, CheckIn, Location

router = Router(tags=["check-ins"], auth=django_auth)

RedFlagField = Annotated[str, Field(json_schema_extra={"enum": list(RED_FLAG_FIELDS)})]


class CheckInEdit(InSchema):
    date: Day
    first_step_pain: Score
    locations: Annotated[list[Location], Field(max_length=len(Location))] = []
    stiffness_minutes: Annotated[int, Field(strict=True, ge=0, le=1440)] | None = None
    activity: Activity | None = None
    distance_km: Annotated[Decimal, Field(ge=0, le=300, decimal_places=2)] | None = None
    pain_during: Score | None = None
    pain_after: Score | None = None
    walking_pain_free: StrictBool | None = None
    # The service refuses an unknown flag with its name; the schema lists the known ones.
    red_flags: Annotated[
        list[RedFlagField],
        Field(
            max_length=len(RED_FLAG_FIELDS),
            description=(
                'The warning signs ticked this morning. Send [] for "none of these"; '
                "leaving the field out means they were not answered, and the advice "
                "then never suggests more load."
            ),
        ),
    ] = []
    answered_at: Moment | None = None

    def answers(self) -> services.Answers:
        return services.Answers(
            **self.model_dump(exclude={"client_id", "red_flags", "locations", "activity"}),
            locations=tuple(self.locations),
            activity=self.activity or "",
            flags=frozenset(self.red_flags),
            flags_answered="red_flags" in self.model_fields_set,
        )


class CheckInIn(CheckInEdit):
    client_id: UUID


class CheckInOut(Schema):
    id: UUID = Field(alias="client_id")
    date: date
    first_step_pain: int
    locations: list[str]
    stiffness_minutes: int | None
    activity: str
    distance_km: float | None
    pain_during: int | None
    pain_after: int | None
    walking_pain_free: bool | None
    red_flags: list[str]
    red_flags_answered: bool
    answered_at: datetime

    @staticmethod
    def resolve_red_flags(obj: CheckIn) -> list[str]:
        return sorted(selectors.checkin_flags(obj))


class TriageOut(Schema):
    urgency: str
    title: str
    reasons: list[str]
    do: str


class AdviceOut(Schema):
    level: str
    action: str
    rule: str
    says: str
    points_to: str


class AssessmentOut(Schema):
    triage: TriageOut | None
    advice: AdviceOut
    first_checkin: bool


class CheckInDetailOut(CheckInOut):
    """What a check-in write (and a read of one) answers: the check-in and its advice.
    Built by `checkin_answer` below, not validated from the model on each request."""

    assessment: AssessmentOut


# The API's renderer (NinjaAPI's default; FootingAPI sets none) and its content type.
RENDERER = JSONRenderer()
ENCODER = RENDERER.encoder_class()
RENDERED_AS = f"{RENDERER.media_type}; charset={RENDERER.charset}"


def checkin_answer(request: HttpRequest, checkin: CheckIn, *, status: int = 200) -> HttpResponse:
    """The CheckInDetailOut answer, built field by field and rendered as the API renders.

    Every phone's check-in gets this answer, and validating it from the model through
    ninja's attribute getter (DjangoGetter) cost ~0.2 ms of a 3 ms request
    (bench/profile.py). tests/api/test_checkin_answer.py holds it equal to the schema's
    own output for any check-in."""
    assessment = selectors.checkin_assessment(checkin=checkin)
    triage, advice = assessment.triage, assessment.advice
    distance = checkin.distance_km
    body = {
        # As the renderer would write them, so it meets only JSON's own types.
        "id": str(checkin.client_id),
        "date": checkin.date.isoformat(),
        "first_step_pain": checkin.first_step_pain,
        "locations": [str(location) for location in checkin.locations],
        "stiffness_minutes": checkin.stiffness_minutes,
        "activity": str(checkin.activity),
        "distance_km": None if distance is None else float(distance),
        "pain_during": checkin.pain_during,
        "pain_after": checkin.pain_after,
        "walking_pain_free": checkin.walking_pain_free,
        "red_flags": sorted(selectors.checkin_flags(checkin)),
        "red_flags_answered": checkin.red_flags_answered,
        "answered_at": ENCODER.default(checkin.answered_at),
        "assessment": {
            "triage": None
            if triage is None
            else {
                "urgency": str(triage.urgency),
                "title": triage.title,
                "reasons": list(triage.reasons),
                "do": triage.do,
            },
            "advice": {
                "level": str(advice.level),
                "action": str(advice.action),
                "rule": advice.rule,
                "says": advice.says,
                "points_to": str(advice.points_to),
            },
            "first_checkin": assessment.first_checkin,
        },
    }
    content = RENDERER.render(request, body, response_status=status)
    return HttpResponse(content, status=status, content_type=RENDERED_AS)


class ProfileOut(Schema):
    main_condition: str
    time_zone: str
    reminder_time: time | None
    distance_unit: str


class MeOut(Schema):
    # The account's id: what the phone's outbox labels a write with (footing/middleware.py).
    id: int
    username: str
    email: str
    today: date
    # That day as the pages write it ("Tue 1 Dec", footing.dates.day): the check-in shell
    # shows it without the phone loading its own date words (Intl's first use is a long task).
    today_label: str
    profile: ProfileOut


Errors = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut}


@router.get("/checkins", response=list[CheckInOut])
@paginate(Newest, ordering=("-date",))  # one per day: the day alone orders them
def checkin_list(request: HttpRequest) -> Any:
    """The runner's check-ins, newest day first, a page at a time (follow `next`)."""
    return selectors.checkin_list(user=logged_in_user(request))


@router.post("/checkins", response={200: CheckInDetailOut, 201: CheckInDetailOut} | Errors)
@decorate_view(body_run)  # every phone's morning: ninja's run without its bookkeeping
def checkin_create(request: HttpRequest, payload: CheckInIn) -> Any:
    """Upsert by `client_id` (and by day): 201 the first time, 200 on a replay or an edit."""
    checkin, created = services.checkin_record(
        user=logged_in_user(request), client_id=payload.client_id, answers=payload.answers()
    )
    return checkin_answer(request, checkin, status=201 if created else 200)


@router.get("/checkins/{checkin_id}", response={200: CheckInDetailOut} | Errors)
def checkin_detail(request: HttpRequest, checkin_id: UUID) -> Any:
    checkin = selectors.checkin_get(user=logged_in_user(request), client_id=checkin_id)
    return checkin_answer(request, checkin)


@router.put("/checkins/{checkin_id}", response={200: CheckInDetailOut} | Errors)
def checkin_update(request: HttpRequest, checkin_id: UUID, payload: CheckInEdit) -> Any:
    checkin = services.checkin_update(
        user=logged_in_user(request), client_id=checkin_id, answers=payload.answers()
    )
    return checkin_answer(request, checkin)


@router.delete("/checkins/{checkin_id}", response={204: None} | Errors)
def checkin_delete(request: HttpRequest, checkin_id: UUID) -> Any:
    services.checkin_delete(user=logged_in_user(request), client_id=checkin_id)
    return Status(204, None)


class ContactsOut(Schema):
    emergency_number: str
    emergency_meaning: str
    clinic_name: str
    clinic_phone: str
    clinic_tel: str


class TodayOut(Schema):
    """Whether this morning's check-in stops training today (a red flag), and whom to call."""

    date: date
    checked_in: bool
    answered_at: datetime | None
    red_flags: list[str]
    triage: TriageOut | None
    contacts: ContactsOut


@router.get("/today", response=TodayOut, url_name="today")
def today(request: HttpRequest) -> Any:
    """Today's triage for the person (their own day, their time zone): the player and home
    stop on it, offline too, from the copy the phone keeps of this answer."""
    user = logged_in_user(request)
    found = selectors.today_get(user=user, now=timezone.now())
    checkin = found.checkin
    return {
        "date": found.day,
        "checked_in": checkin is not None,
        "answered_at": checkin.answered_at if checkin else None,
        "red_flags": sorted(selectors.checkin_flags(checkin)) if checkin else [],
        "triage": found.triage,
        "contacts": care_contacts(user=user).as_dict(),
    }


@router.get("/me", response=MeOut)
def me(request: HttpRequest) -> Any:
    user = logged_in_user(request)
    today = local_today(user=user, now=timezone.now())
    return {
        "id": user.pk,
        "username": user.get_username(),
        "email": user.email,
        "today": today,
        "today_label": dates.day(today),
        "profile": profile_get(user=user),
    }
