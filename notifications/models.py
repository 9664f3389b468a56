"""Web Push for every logged-in person: the browsers they turned notifications on in,
what Footing told them (a notice), and each notice's delivery to each browser.

A notice is made once per person and purpose (its `key`, e.g. the morning reminder of
2026-12-02), so asking twice never tells anyone twice. Each delivery is tried on its
own: one browser's push service failing never holds up another's.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class PushSubscription(models.Model):
    """One browser's Web Push endpoint and keys (RFC 8291), as PushManager gave them."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="push_subscriptions"
    )
    endpoint = models.URLField(max_length=1000, unique=True)
    p256dh = models.CharField(max_length=200)
    auth = models.CharField(max_length=100)
    created_at = models.DateTimeField(auto_now_add=True)
    last_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"push subscription {self.pk} of user {self.user_id}"


class Kind(models.TextChoices):
    CHECKIN_REMINDER = "checkin_reminder", "Morning check-in reminder"
    ROUTINE_REMINDER = "routine_reminder", "Today's routine"
    ROUTINE_UPDATED = "routine_updated", "Routine updated by the clinic"
    CLINIC_REPLY = "clinic_reply", "Reply from the clinic"


class Notice(models.Model):
    """One message for one person, as their phone will show it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    # What the notice is about, unique per person: "checkin-2026-12-02", "routine-7-v3".
    key = models.CharField(max_length=120)
    title = models.CharField(max_length=80)
    body = models.CharField(max_length=240)
    url = models.CharField(max_length=200)
    created_at = models.DateTimeField(auto_now_add=True)
    # After this the news is stale: the push service drops it, and so do retries.
    expires_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(fields=["user", "key"], name="notice_once_per_key"),
        ]

    def __str__(self) -> str:
        return f"notice {self.pk} ({self.kind}) for user {self.user_id}"


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", "Waiting to be sent"
    SENDING = "sending", "Being sent"
    SENT = "sent", "Accepted by the push service"
    GONE = "gone", "Browser unsubscribed (404/410)"
    FAILED = "failed", "Given up"


class Delivery(models.Model):
    """One notice to one browser: tried, retried with backoff, finished once."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="deliveries")
    subscription = models.ForeignKey(
        PushSubscription, on_delete=models.CASCADE, related_name="deliveries"
    )
    status = models.CharField(
        max_length=7, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(default=0)
    # When the queued task for this delivery may run; a pending delivery long past it
    # lost its task (a worker killed mid-batch) and is queued again.
    next_attempt_at = models.DateTimeField()
    # Set while a worker is talking to the push service; cleared when it has an answer.
    attempt_started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_status = models.PositiveSmallIntegerField(null=True, blank=True)
    task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["next_attempt_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["notice", "subscription"], name="delivery_once_per_browser"
            ),
        ]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"delivery {self.pk} ({self.status})"
