"""Saved self-check results: what a logged-in runner answered and what it pointed to."""

from __future__ import annotations

from django.conf import settings
from django.db import models

from footing.times import in_bounds_constraint


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
    # Set when the phone worked the result out before there was an account and kept it
    # at sign-up: the phone's own id for it, so a retried or replayed keep is one row.
    client_id = models.UUIDField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "-created_at"], name="selfcheck_user_recent")]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "client_id"],
                condition=models.Q(client_id__isnull=False),
                name="selfcheck_kept_once",
            ),
            # A kept result's time comes from the phone: bounded like every such time.
            in_bounds_constraint("created_at", name="selfcheck_created_in_bounds"),
        ]

    def __str__(self) -> str:
        return f"self-check result {self.pk} of user {self.user_id}"
