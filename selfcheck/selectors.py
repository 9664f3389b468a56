"""Reads for the self-check: the rules (read once per process) and what the result page
links to (condition pages and their routines, from the database)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any

from django.conf import settings
from django.contrib.auth.models import User
from django.db.models import QuerySet
from django.urls import reverse

from library.selectors import condition_find, condition_routines, conditions_with_routines
from library.versions import canonical_hash
from selfcheck.evaluator import ConditionMatch, Outcome, progress, question_next, selfcheck_evaluate
from selfcheck.models import SelfCheckResult
from selfcheck.rules import Answer, Question, Rules, selfcheck_rules_read


@cache
def _rules_at(root: Path) -> Rules:
    return selfcheck_rules_read(root=root)


def selfcheck_rules() -> Rules:
    """The rules from `content/self-check.yaml`, read and checked once per process.

    They ship with a release like templates do: `load_content` and the tests check the
    file, and a changed file takes effect when the app restarts.
    """
    return _rules_at(Path(settings.CONTENT_DIR))


def selfcheck_rules_hash(*, rules: Rules) -> str:
    return canonical_hash(rules.as_json())


@dataclass(frozen=True)
class RoutineLink:
    title: str
    url: str


@dataclass(frozen=True)
class ConditionPage:
    slug: str
    name: str
    url: str
    doctor_first: bool
    doctor_note: str
    routines: list[RoutineLink]


def selfcheck_pages(*, rules: Rules) -> dict[str, ConditionPage]:
    """The live condition pages the rules can point to, with their routines (2 queries).

    A doctor-first condition gets no routine links here, whatever the database says.
    """
    conditions = conditions_with_routines(slugs=rules.conditions)
    return {
        c.slug: ConditionPage(
            slug=c.slug,
            name=c.name,
            url=reverse("pwa:condition", args=[c.slug]),
            doctor_first=c.doctor_first,
            doctor_note=c.doctor_note,
            routines=[
                RoutineLink(r.title, reverse("pwa:routine", args=[r.slug]))
                for r in condition_routines(condition=c)
            ],
        )
        for c in conditions
    }


def doctor_first_slugs(*, rules: Rules, pages: dict[str, ConditionPage]) -> set[str]:
    """Fails closed: a condition with no live page is treated as doctor-first too, so a
    half-loaded database can never make the self-check offer a routine it should not."""
    return {slug for slug in rules.conditions if slug not in pages or pages[slug].doctor_first}


def selfcheck_client_data(*, rules: Rules, pages: dict[str, ConditionPage]) -> dict[str, Any]:
    """Everything the browser needs to finish the check with no signal: the same rules the
    server uses, and the pages and routines a result links to."""
    return {
        "rules": rules.as_json(),
        "doctor_first": sorted(doctor_first_slugs(rules=rules, pages=pages)),
        "pages": {
            slug: {
                "name": page.name,
                "url": page.url,
                "doctor_note": page.doctor_note,
                "routines": [{"title": r.title, "url": r.url} for r in page.routines],
            }
            for slug, page in pages.items()
        },
    }


@dataclass(frozen=True)
class Screen:
    """One screen of the self-check: the next question, or the result."""

    answers: dict[str, Answer]
    question: Question | None
    number: int
    about: int
    outcome: Outcome | None
    pages: dict[str, ConditionPage]

    @property
    def matches(self) -> list[tuple[ConditionMatch, ConditionPage]]:
        """The ranked conditions with the pages they link to (conditions with no live
        page are left out: there is nothing to send the runner to)."""
        if self.outcome is None:
            return []
        return [(m, self.pages[m.slug]) for m in self.outcome.conditions if m.slug in self.pages]

    @property
    def emergency(self) -> bool:
        return self.outcome is not None and self.outcome.urgency == "emergency"


def selfcheck_outcome(
    *, rules: Rules, answers: Mapping[str, Answer], pages: dict[str, ConditionPage] | None = None
) -> Outcome:
    """The result of these (checked) answers: the one evaluation the page, the API and a
    saved result all use, with the doctor-first conditions from the live pages."""
    pages = selfcheck_pages(rules=rules) if pages is None else pages
    doctor_first = doctor_first_slugs(rules=rules, pages=pages)
    return selfcheck_evaluate(rules=rules, answers=answers, doctor_first=doctor_first)


def selfcheck_screen(
    *, rules: Rules, answers: dict[str, Answer], pages: dict[str, ConditionPage]
) -> Screen:
    question = question_next(rules=rules, answers=answers)
    number, about = progress(rules=rules, answers=answers)
    outcome = None
    if question is None:
        outcome = selfcheck_outcome(rules=rules, answers=answers, pages=pages)
    return Screen(answers, question, number, about, outcome, pages)


def selfcheck_results(*, user: User) -> QuerySet[SelfCheckResult]:
    """The self-check results a person saved, newest first."""
    return SelfCheckResult.objects.filter(user=user)


def selfcheck_result_as_dict(result: SelfCheckResult) -> dict[str, Any]:
    """One saved result as plain data: what they answered and what they were told."""
    return {
        "created_at": result.created_at.isoformat(),
        "answers": result.answers,
        "outcome": result.outcome,
        "urgency": result.urgency,
        "top_condition": result.top_condition,
    }


@dataclass(frozen=True)
class LastResult:
    """What a person's newest saved self-check told them, for home and progress."""

    taken_at: datetime
    # "emergency" or "today" when it found a warning sign; "" otherwise.
    urgency: str
    # The condition it pointed to first, while its page is live (None: no clear match).
    condition: ConditionPage | None


def selfcheck_result_last(*, user: User) -> LastResult | None:
    """The newest saved result, or None (2 queries at most)."""
    result = selfcheck_results(user=user).only("created_at", "urgency", "top_condition").first()
    if result is None:
        return None
    found = condition_find(slug=result.top_condition)
    page = None
    if found is not None:
        url = reverse("pwa:condition", args=[found.slug])
        page = ConditionPage(found.slug, found.name, url, found.doctor_first, found.doctor_note, [])
    return LastResult(taken_at=result.created_at, urgency=result.urgency, condition=page)
