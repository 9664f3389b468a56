"""A runner's settings. (Failed log-ins are counted by django-axes: accounts/throttle.py.)"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class DistanceUnit(models.TextChoices):
    KM = "km", "Kilometres"
    MILES = "mi", "Miles"


class Profile(models.Model):
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile"
    )
    # The name the clinic sees (empty: the clinic sees the email or username).
    display_name = models.CharField(max_length=80, blank=True)
    # So the clinic can call about a red flag; only the person's own clinic sees it.
    phone = models.CharField(max_length=30, blank=True)
    # A content slug, not a foreign key: content is keyed by slug everywhere, and an
    # archived condition must not take a runner's settings with it.
    main_condition = models.SlugField(blank=True)
    # The zone that decides what "today" is for the morning check-in.
    time_zone = models.CharField(max_length=64, default="UTC")
    reminder_time = models.TimeField(null=True, blank=True)
    distance_unit = models.CharField(
        max_length=2, choices=DistanceUnit.choices, default=DistanceUnit.KM
    )

    def __str__(self) -> str:
        return f"profile of user {self.user_id}"
