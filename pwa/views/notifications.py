"""The account page's notifications: the push switch for this browser (static/js/push.js
talks to /api/v1/push/...) and a patient's "Today: <routine>" reminder."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from clinic.permissions import patient_membership
from notifications.selectors import push_public_key
from pwa.forms.reminders import RoutineReminderForm
from reminders.selectors import routine_reminder_get


def settings_context(user: User, form: RoutineReminderForm | None = None) -> dict[str, Any]:
    """What templates/notifications/_settings.html needs."""
    routine = routine_reminder_get(user=user)
    if form is None:
        form = RoutineReminderForm(
            initial={
                "on": routine.on,
                "time": routine.time,
                "days": [d for d in range(7) if routine.day_on(d)],
            }
        )
    return {
        "push_key": push_public_key(),
        "clinic_membership": patient_membership(user=user),
        "routine_reminder": routine,
        "routine_form": form,
    }
