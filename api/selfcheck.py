"""Self-check routes: public on purpose (auth=None). Evaluating answers reads nothing of
anyone's and writes nothing, so it needs no login and no CSRF token."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema

from api.schemas import ErrorOut, InSchema
from selfcheck import selectors
from selfcheck.evaluator import Outcome, answers_check

router = Router(tags=["self-check"], auth=None)


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
