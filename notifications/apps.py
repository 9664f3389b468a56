from __future__ import annotations

from django.apps import AppConfig
from django.core.checks import Tags, register

from notifications.checks import vapid_key_set


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # The deploy check for the VAPID key, registered once the app is loaded.
        register(vapid_key_set, Tags.security, deploy=True)
