"""Writes for the self-check: saving a logged-in runner's result, and keeping the one a
phone worked out before its runner had an account."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from footing.errors import Invalid
from footing.times import time_checked
from selfcheck import selectors
from selfcheck.evaluator import answers_check, question_next
from selfcheck.models import SelfCheckResult


def _scored(answers: Mapping[str, str]) -> dict[str, Any]:
    """Score the answers here (a result is never taken from the client): the fields of a
    result row, or Invalid when the check is not finished."""
    rules = selectors.selfcheck_rules()
    checked = answers_check(rules=rules, answers=answers)
    if not checked or question_next(rules=rules, answers=checked) is not None:
        raise Invalid("Finish the self-check before saving it.", field="answers")
    outcome = selectors.selfcheck_outcome(rules=rules, answers=checked)
    return {
        "answers": checked,
        "outcome": outcome.as_dict(),
        "urgency": outcome.urgency or "",
        "top_condition": outcome.conditions[0].slug if outcome.conditions else "",
        "rules_hash": selectors.selfcheck_rules_hash(rules=rules),
    }


def selfcheck_result_save(*, user: User, answers: Mapping[str, str]) -> SelfCheckResult:
    """Keep the result of the check just finished, as of now."""
    return SelfCheckResult.objects.create(user=user, created_at=timezone.now(), **_scored(answers))


def selfcheck_result_keep(
    *,
    user: User,
    client_id: uuid.UUID,
    answers: Mapping[str, str],
    taken_at: datetime,
    now: datetime | None = None,
) -> tuple[SelfCheckResult, bool]:
    """Keep a result the phone worked out before sign-up, as of when it was taken.

    By the phone's id for it: the first keep stores it (True), a retry or an outbox
    replay gets the same row back (False) and changes nothing.
    """
    now = timezone.now() if now is None else now
    existing = SelfCheckResult.objects.filter(user=user, client_id=client_id).first()
    if existing is not None:
        return existing, False
    fields = _scored(answers)
    taken_at = time_checked(taken_at, field="taken_at", now=now)
    try:
        with transaction.atomic():
            kept = SelfCheckResult.objects.create(
                user=user, client_id=client_id, created_at=taken_at, **fields
            )
    except IntegrityError:  # the same keep, sent twice at once: the other one won
        return SelfCheckResult.objects.get(user=user, client_id=client_id), False
    return kept, True
