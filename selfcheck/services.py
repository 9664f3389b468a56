"""Writes for the self-check: saving a logged-in runner's result."""

from __future__ import annotations

from collections.abc import Mapping

from django.contrib.auth.models import User
from django.utils import timezone

from footing.errors import Invalid
from selfcheck import selectors
from selfcheck.evaluator import answers_check, question_next
from selfcheck.models import SelfCheckResult


def selfcheck_result_save(*, user: User, answers: Mapping[str, str]) -> SelfCheckResult:
    """Score the answers again here (a result is never taken from the client) and keep it."""
    rules = selectors.selfcheck_rules()
    checked = answers_check(rules=rules, answers=answers)
    if not checked or question_next(rules=rules, answers=checked) is not None:
        raise Invalid("Finish the self-check before saving it.", field="answers")
    outcome = selectors.selfcheck_outcome(rules=rules, answers=checked)
    return SelfCheckResult.objects.create(
        user=user,
        created_at=timezone.now(),
        answers=checked,
        outcome=outcome.as_dict(),
        urgency=outcome.urgency or "",
        top_condition=outcome.conditions[0].slug if outcome.conditions else "",
        rules_hash=selectors.selfcheck_rules_hash(rules=rules),
    )
