"""What a person did when they played a routine: one log per session, one row per exercise.

A log is written on the phone first (often with no signal) and reaches the server later,
maybe more than once: the client's UUID makes every replay land on the same row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from footing.times import in_bounds_constraint
from library.models import RoutineVersion


class SkipReason(models.TextChoices):
    HURT = "hurt", "It hurt"
    NO_EQUIPMENT = "no-equipment", "No equipment"
    NO_TIME = "no-time", "No time"


class Effort(models.TextChoices):
    EASY = "easy", "Easy"
    RIGHT = "right", "About right"
    HARD = "hard", "Hard"


class SessionLog(models.Model):
    client_id = models.UUIDField(unique=True)
    # No index of its own: the (user, -started_at) index below serves every read by user.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="session_logs",
        db_index=False,
    )
    # The version actually played: a session started on v3 is logged as v3.
    routine_version = models.ForeignKey(RoutineVersion, on_delete=models.PROTECT, related_name="+")
    started_at = models.DateTimeField()
    ended_at = models.DateTimeField()
    received_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-started_at"]
        indexes = [models.Index(fields=["user", "-started_at"])]
        constraints = [
            models.CheckConstraint(
                name="session_ends_after_start",
                condition=models.Q(ended_at__gte=models.F("started_at")),
            ),
            in_bounds_constraint("started_at", name="session_started_at_in_bounds"),
            in_bounds_constraint("ended_at", name="session_ended_at_in_bounds"),
        ]

    def __str__(self) -> str:
        # Ids only: this reaches logs and error reports, where what was played must not.
        return f"session {self.pk} of user {self.user_id}"


class SessionExercise(models.Model):
    log = models.ForeignKey(SessionLog, on_delete=models.CASCADE, related_name="exercises")
    position = models.PositiveSmallIntegerField()
    exercise_slug = models.SlugField()
    exercise_name = models.CharField(max_length=100)
    sets_planned = models.PositiveSmallIntegerField()
    sets_done = models.PositiveSmallIntegerField()
    reps_done = models.PositiveIntegerField(null=True, blank=True)
    seconds_done = models.PositiveIntegerField(null=True, blank=True)
    skipped = models.BooleanField(default=False)
    skip_reason = models.CharField(max_length=20, choices=SkipReason.choices, blank=True)
    pain = models.PositiveSmallIntegerField(null=True, blank=True)
    effort = models.CharField(max_length=10, choices=Effort.choices, blank=True)

    class Meta:
        ordering = ["log", "position"]
        constraints = [
            models.UniqueConstraint(fields=["log", "position"], name="session_exercise_position"),
            models.CheckConstraint(name="session_pain_0_10", condition=models.Q(pain__lte=10)),
        ]

    def __str__(self) -> str:
        return f"session {self.log_id} exercise {self.position}"
