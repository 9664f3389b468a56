"""Saved self-check results: what a logged-in runner answered and what it pointed to."""

from __future__ import annotations

from django.conf import settings
from django.db import models


class SelfCheckResult(models.Model):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="selfcheck_results"
    )
    created_at = models.DateTimeField()
    answers = models.JSONField()
    # The outcome as the evaluator gave it at the time: the rules may change later, and
    # the runner should see what they were told, not a re-scoring under new rules.
    outcome = models.JSONField()
    urgency = models.CharField(max_length=16, blank=True)
    top_condition = models.SlugField(blank=True)
    rules_hash = models.CharField(max_length=64)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="selfcheck_user_recent")]

    def __str__(self) -> str:
        return f"self-check result {self.pk} of user {self.user_id}"
