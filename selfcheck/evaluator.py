"""The self-check's one evaluator: answers in, the next question or an outcome out.

Pure functions of the rules and the answers (no database, no request), so the same
decisions can be made in the browser with no signal: static/js/selfcheck-evaluator.js is
a line-by-line port, and tests/selfcheck/test_parity.py runs both on the same answers and
requires identical results. Change one, change the other.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Any, cast

from footing.errors import Invalid
from library.content_files import Urgency
from selfcheck.rules import ANSWERS, Answer, Question, Rules

URGENCY_ORDER: tuple[Urgency, ...] = ("emergency", "today")


@dataclass(frozen=True)
class RedFlagHit:
    id: str
    urgency: Urgency
    reason: str
    answer: Answer


@dataclass(frozen=True)
class SeeDoctor:
    """An answer that needs a doctor before any routine, though it is not a red flag."""

    id: str
    reason: str


@dataclass(frozen=True)
class ConditionMatch:
    slug: str
    score: int
    because: list[str]
    # False whenever a red flag or a see-a-doctor answer came up, or the condition is
    # doctor-first: the result then links to the condition page only, never to a routine.
    routines: bool


@dataclass(frozen=True)
class Outcome:
    red_flags: list[RedFlagHit] = field(default_factory=list)
    conditions: list[ConditionMatch] = field(default_factory=list)
    see_doctor: list[SeeDoctor] = field(default_factory=list)

    @property
    def urgency(self) -> Urgency | None:
        return self.red_flags[0].urgency if self.red_flags else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "red_flags": [vars(hit) for hit in self.red_flags],
            "conditions": [vars(match) for match in self.conditions],
            "see_doctor": [vars(note) for note in self.see_doctor],
        }


def answers_check(*, rules: Rules, answers: Mapping[str, str]) -> dict[str, Answer]:
    """The answers, if every id is a question and every value yes, no or unsure."""
    known = {question.id for question in rules.questions}
    for question_id, value in answers.items():
        if question_id not in known:
            raise Invalid(f"There is no self-check question {question_id!r}.", field=question_id)
        if value not in ANSWERS:
            reason = f"Answer {question_id!r} with yes, no or unsure (not {value!r})."
            raise Invalid(reason, field=question_id)
    return {question_id: cast(Answer, value) for question_id, value in answers.items()}


def answers_decode(values: list[str]) -> dict[str, str]:
    """The page's hidden fields, one `id:answer` each in the order answered, as a dict
    (which keeps that order: Back drops the last one)."""
    answers: dict[str, str] = {}
    for value in values:
        question_id, _, answer = value.partition(":")
        answers[question_id] = answer
    return answers


def answers_step(
    *, rules: Rules, answers: Mapping[str, str], question: str, answer: str, back: bool
) -> dict[str, Answer]:
    """The answers after one tap: Back drops the last answer, otherwise `answer` is
    recorded for `question`. Everything is checked, so a tampered form gets a clear error."""
    stepped = dict(answers)
    if back:
        if stepped:
            stepped.pop(next(reversed(stepped)))
    elif question:
        stepped.pop(question, None)  # answered again (after Back): it moves to the end
        stepped[question] = answer
    return answers_check(rules=rules, answers=stepped)


def _applies(question: Question, answers: Mapping[str, Answer]) -> bool:
    return all(answers.get(ref) in allowed for ref, allowed in question.ask_if.items())


def _ordinary_answered(rules: Rules, answers: Mapping[str, Answer]) -> int:
    return sum(1 for question in rules.questions if question.counts and question.id in answers)


def _still_to_ask(rules: Rules, answers: Mapping[str, Answer]) -> list[Question]:
    """The questions still to come if no answer opens a new path, in order."""
    budget = rules.max_questions - _ordinary_answered(rules, answers)
    pending: list[Question] = []
    for question in rules.questions:
        if question.id in answers or not _applies(question, answers):
            continue
        if question.counts:
            if budget <= 0:
                continue
            budget -= 1
        pending.append(question)
    return pending


def question_next(*, rules: Rules, answers: Mapping[str, Answer]) -> Question | None:
    """The first unanswered question whose `ask_if` holds, or None when the check is done.

    Red flags and the screening questions are asked on every path and never count; at most
    `max_questions` ordinary questions are asked (rules.py checks that no path needs more,
    so every question the article asks for the leading condition is reached).
    """
    pending = _still_to_ask(rules, answers)
    return pending[0] if pending else None


def progress(*, rules: Rules, answers: Mapping[str, Answer]) -> tuple[int, int]:
    """(this question's number, about how many there are) for "Question 3 of about 12":
    the questions answered and those still to come on the path as it stands."""
    number = len(answers) + 1
    return number, max(number, len(answers) + len(_still_to_ask(rules, answers)))


def _red_flags(rules: Rules, answers: Mapping[str, Answer]) -> list[RedFlagHit]:
    hits: list[RedFlagHit] = []
    for question in rules.questions:
        flag, answer = question.red_flag, answers.get(question.id)
        if flag is None or answer is None:
            continue
        if answer == "yes":
            hits.append(RedFlagHit(question.id, flag.urgency, flag.reason, answer))
        elif answer == "unsure":
            hits.append(RedFlagHit(question.id, "today", flag.reason, answer))
    return sorted(hits, key=lambda hit: URGENCY_ORDER.index(hit.urgency))


def selfcheck_evaluate(
    *, rules: Rules, answers: Mapping[str, Answer], doctor_first: Collection[str]
) -> Outcome:
    """Red flags first (emergency before today), then the answers that need a doctor
    first, then the conditions the answers point to, best first, each with the answers
    behind it. "Not sure" adds no weight either way (but is a red flag on a warning sign)."""
    red_flags = _red_flags(rules, answers)
    see_doctor: list[SeeDoctor] = []
    scores = dict.fromkeys(rules.conditions, 0)
    because: dict[str, list[str]] = {slug: [] for slug in rules.conditions}
    for question in rules.questions:
        answer = answers.get(question.id)
        effect = question.yes if answer == "yes" else question.no if answer == "no" else None
        if effect is None:
            continue
        if effect.see_doctor:
            see_doctor.append(SeeDoctor(question.id, effect.see_doctor))
        sentence = f"You said {effect.said}." + (f" {effect.note}" if effect.note else "")
        for slug, weight in effect.weights.items():
            scores[slug] += weight
            if weight > 0:
                because[slug].append(sentence)
    ranked = sorted(
        (slug for slug in rules.conditions if scores[slug] > 0),
        key=lambda slug: (-scores[slug], rules.conditions.index(slug)),
    )
    matches = [
        ConditionMatch(
            slug=slug,
            score=scores[slug],
            because=because[slug],
            routines=not red_flags and not see_doctor and slug not in doctor_first,
        )
        for slug in ranked
    ]
    return Outcome(red_flags=red_flags, conditions=matches, see_doctor=see_doctor)
