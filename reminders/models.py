"""A patient's "Today: <routine>" reminder. (The morning check-in reminder's time is the
account's own setting: `accounts.Profile.reminder_time`.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models

ALL_DAYS = 0b1111111


class RoutineReminder(models.Model):
    """Opted in: on these weekdays, at this time in the patient's zone, if a prescribed
    routine has not been played yet that day."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="routine_reminder"
    )
    time = models.TimeField()
    # Bit d set = remind on weekday d (Monday = 0, as date.weekday()).
    weekdays = models.PositiveSmallIntegerField(default=ALL_DAYS)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.CheckConstraint(
                name="routine_reminder_some_days",
                condition=models.Q(weekdays__gte=1, weekdays__lte=ALL_DAYS),
            )
        ]

    def __str__(self) -> str:
        return f"routine reminder of user {self.user_id}"
