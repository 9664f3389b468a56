"""The morning check-in: one per runner per local day.

It is written on the phone first (often before any signal) and may reach the server
more than once; the client's UUID makes every replay land on the same row.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

from django.conf import settings
from django.db import models

from footing.sql import WrittenTrue
from footing.times import in_bounds_constraint
from journal.advice import RED_FLAG_FIELDS


class Location(models.TextChoices):
    HEEL_CENTRE = "heel-centre", "Heel centre"
    INNER_HEEL = "inner-heel", "Inner heel"
    ARCH = "arch", "Arch"
    BALL_OF_FOOT = "ball-of-foot", "Ball of foot"
    TOES = "toes", "Toes"
    CALF = "calf", "Calf"


class Activity(models.TextChoices):
    REST = "rest", "Rest"
    RUN = "run", "Run"
    CROSS = "cross", "Cross-training"


def _pain_0_10(field: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        name=f"checkin_{field}_0_10",
        condition=models.Q(**{f"{field}__gte": 0, f"{field}__lte": 10})
        | models.Q(**{f"{field}__isnull": True}),
    )


def any_red_flag(prefix: str = "", *, written: bool = False) -> models.Q:
    """Check-ins with at least one red flag ticked (the partial index below and the
    clinic's "waiting" queries share it, so the index is the one they use). Queries
    pass `written=True`: TRUE in the statement's text, so SQLite plans it once rather
    than at every execution (footing.sql.WrittenTrue); the index keeps the plain True
    its migration was made from."""
    true: bool | WrittenTrue = WrittenTrue() if written else True
    return reduce(or_, (models.Q(**{prefix + name: true}) for name in RED_FLAG_FIELDS))


class CheckIn(models.Model):
    # No index of its own: both unique constraints below start with the user, and either
    # serves every "this runner's check-ins" read.
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="checkins", db_index=False
    )
    client_id = models.UUIDField()
    # The runner's own calendar day (their profile's time zone), not the server's.
    date = models.DateField()
    first_step_pain = models.PositiveSmallIntegerField()
    locations = models.JSONField(default=list)
    stiffness_minutes = models.PositiveSmallIntegerField(null=True, blank=True)
    # Yesterday's load, judged by this morning's pain (the pain-monitoring model).
    activity = models.CharField(max_length=5, choices=Activity.choices, blank=True)
    distance_km = models.DecimalField(max_digits=5, decimal_places=2, null=True, blank=True)
    pain_during = models.PositiveSmallIntegerField(null=True, blank=True)
    pain_after = models.PositiveSmallIntegerField(null=True, blank=True)
    # "Walking yesterday": null when not answered. A bone injury's next stage waits for it.
    walking_pain_free = models.BooleanField(null=True, blank=True)
    # Red flags (see journal/advice.py for what each one means and how urgent it is).
    numbness = models.BooleanField(default=False)
    calf_swelling = models.BooleanField(default=False)
    rest_pain = models.BooleanField(default=False)
    cannot_walk = models.BooleanField(default=False)
    leg_pain_not_easing = models.BooleanField(default=False)
    fever_hot_foot = models.BooleanField(default=False)
    chest_symptoms = models.BooleanField(default=False)
    saddle_numbness = models.BooleanField(default=False)
    bone_spot = models.BooleanField(default=False)
    calf_eases_still = models.BooleanField(default=False)
    # The runner answered the warning signs (ticked some, or "None of these"). False for
    # check-ins from before that answer existed, and for API clients that leave them out:
    # not answered is unknown, and the advice never reads it as "none".
    red_flags_answered = models.BooleanField(default=False)
    # When the runner answered (the phone's clock): an older replay never overwrites a
    # newer answer for the same day.
    answered_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-date"]
        constraints = [
            models.UniqueConstraint(fields=["user", "client_id"], name="checkin_client_id"),
            models.UniqueConstraint(fields=["user", "date"], name="checkin_one_per_day"),
            models.CheckConstraint(
                name="checkin_first_step_pain_0_10",
                condition=models.Q(first_step_pain__gte=0, first_step_pain__lte=10),
            ),
            _pain_0_10("pain_during"),
            _pain_0_10("pain_after"),
            in_bounds_constraint("date", name="checkin_date_in_bounds", day=True),
            in_bounds_constraint("answered_at", name="checkin_answered_at_in_bounds"),
        ]
        indexes = [
            # Red-flagged mornings are rare: a small index lets the clinic's list find
            # every patient's waiting flags without reading their other mornings.
            models.Index(fields=["user", "date"], condition=any_red_flag(), name="checkin_flagged"),
        ]

    def __str__(self) -> str:
        # Ids only: this reaches logs and error reports, where answers must not.
        return f"check-in {self.pk} of user {self.user_id}"


class ReturnToRun(models.Model):
    """Where a runner with a bone injury stands on the return-to-running plan
    (content/return-to-running.yaml). Journal's table because the advice reads it; a
    clinician sets "cleared" through journal.services, from the clinic's patient page."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="return_to_run"
    )
    cleared = models.BooleanField(default=False)
    # A stage slug from the plan; blank means its first stage.
    stage = models.SlugField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    changed_at = models.DateTimeField()

    def __str__(self) -> str:
        # Ids only, as for check-ins: where a runner is on the plan is their health data.
        return f"return to running {self.pk} of user {self.user_id}"
