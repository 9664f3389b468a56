"""`check --deploy`: a deployment without its own VAPID key cannot send push."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Warning


def vapid_key_set(**kwargs: Any) -> list[CheckMessage]:
    if settings.VAPID_PRIVATE_KEY:
        return []
    return [
        Warning(
            "VAPID_PRIVATE_KEY is not set: reminders and clinic notices cannot reach "
            "anyone's phone.",
            hint="Run `manage.py vapid_keys` once and put VAPID_PRIVATE_KEY in the "
            "environment of every web server and worker (the same key everywhere).",
            id="footing.W001",
        )
    ]
