"""Self-check routes: public on purpose (auth=None). Evaluating answers reads nothing of
anyone's and writes nothing, so it needs no login and no CSRF token."""

from __future__ import annotations

from typing import Literal

from django.http import HttpRequest
from ninja import Router, Schema

from selfcheck import selectors
from selfcheck.evaluator import Outcome, answers_check, selfcheck_evaluate

router = Router(tags=["self-check"], auth=None)


class QuestionOut(Schema):
    id: str
    text: str
    red_flag: bool


class SelfCheckIn(Schema):
    answers: dict[str, Literal["yes", "no", "unsure"]]


class RedFlagOut(Schema):
    id: str
    urgency: Literal["emergency", "today"]
    reason: str
    answer: Literal["yes", "unsure"]


class ConditionMatchOut(Schema):
    slug: str
    score: int
    because: list[str]
    routines: bool


class OutcomeOut(Schema):
    red_flags: list[RedFlagOut]
    conditions: list[ConditionMatchOut]


@router.get("/self-check", response=list[QuestionOut], url_name="selfcheck_questions")
def questions(request: HttpRequest) -> list[QuestionOut]:
    """Every question in the order the check asks them (red flags first)."""
    rules = selectors.selfcheck_rules()
    return [
        QuestionOut(id=q.id, text=q.text, red_flag=q.red_flag is not None) for q in rules.questions
    ]


@router.post("/self-check", response=OutcomeOut, url_name="selfcheck_evaluate")
def evaluate(request: HttpRequest, payload: SelfCheckIn) -> Outcome:
    """Red flags first (emergency before today), then the conditions the answers point to."""
    rules = selectors.selfcheck_rules()
    answers = answers_check(rules=rules, answers=payload.answers)
    pages = selectors.selfcheck_pages(rules=rules)
    doctor_first = selectors.doctor_first_slugs(rules=rules, pages=pages)
    return selfcheck_evaluate(rules=rules, answers=answers, doctor_first=doctor_first)
