"""Self-check routes. Asking and evaluating are public on purpose (auth=None): they read
nothing of anyone's and write nothing, so they need no login and no CSRF token. Keeping a
result is a person's own write (session cookie, CSRF on)."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from api.schemas import ErrorOut, InSchema, Moment
from footing.http import logged_in_user
from selfcheck import selectors, services
from selfcheck.evaluator import Outcome, answers_check

router = Router(tags=["self-check"], auth=None)
kept_router = Router(tags=["self-check"], auth=django_auth)


class SelfCheckQuestionOut(Schema):
    id: str
    text: str
    red_flag: bool


def _known_ids(schema: dict[str, Any]) -> None:
    # Published in the OpenAPI schema (read when the schema is built, not at import), so
    # clients and fuzzers know the ids; an unknown id still gets the evaluator's clear 422.
    schema["propertyNames"] = {"enum": [q.id for q in selectors.selfcheck_rules().questions]}


class SelfCheckIn(InSchema):
    answers: dict[str, Literal["yes", "no", "unsure"]] = Field(json_schema_extra=_known_ids)


class SelfCheckRedFlagOut(Schema):
    id: str
    urgency: Literal["emergency", "today"]
    reason: str
    answer: Literal["yes", "unsure"]


class SelfCheckMatchOut(Schema):
    slug: str
    score: int
    because: list[str]
    routines: bool


class SelfCheckSeeDoctorOut(Schema):
    id: str
    reason: str


class SelfCheckOutcomeOut(Schema):
    red_flags: list[SelfCheckRedFlagOut]
    # Answers that need a doctor before any routine (a nerve look-alike, a calf ache).
    see_doctor: list[SelfCheckSeeDoctorOut]
    conditions: list[SelfCheckMatchOut]


@router.get("/self-check", response=list[SelfCheckQuestionOut], url_name="selfcheck_questions")
def questions(request: HttpRequest) -> list[SelfCheckQuestionOut]:
    """Every question in the order the check asks them (red flags first)."""
    rules = selectors.selfcheck_rules()
    return [
        SelfCheckQuestionOut(id=q.id, text=q.text, red_flag=q.red_flag is not None)
        for q in rules.questions
    ]


@router.post(
    "/self-check",
    response={200: SelfCheckOutcomeOut, 400: ErrorOut, 422: ErrorOut},
    url_name="selfcheck_evaluate",
)
def evaluate(request: HttpRequest, payload: SelfCheckIn) -> Outcome:
    """Red flags first (emergency before today), then what needs a doctor first, then the
    conditions the answers point to."""
    rules = selectors.selfcheck_rules()
    answers = answers_check(rules=rules, answers=payload.answers)
    return selectors.selfcheck_outcome(rules=rules, answers=answers)


class SelfCheckKeepIn(InSchema):
    # The phone's id for the result: the same id again is the same result.
    client_id: UUID
    answers: dict[str, Literal["yes", "no", "unsure"]] = Field(json_schema_extra=_known_ids)
    taken_at: Moment


class SelfCheckKeptOut(Schema):
    client_id: UUID
    taken_at: datetime = Field(alias="created_at")
    urgency: str
    top_condition: str


@kept_router.post(
    "/self-check/results",
    response={200: SelfCheckKeptOut, 201: SelfCheckKeptOut, 422: ErrorOut},
    url_name="selfcheck_keep",
)
def keep(request: HttpRequest, payload: SelfCheckKeepIn) -> Any:
    """Keep a result worked out on this phone before sign-up: scored again here, stored as
    of `taken_at`; 201 the first time, 200 with the same result on every replay."""
    result, created = services.selfcheck_result_keep(
        user=logged_in_user(request),
        client_id=payload.client_id,
        answers=payload.answers,
        taken_at=payload.taken_at,
    )
    return Status(201 if created else 200, result)
