"""Reads of a person's reminder settings, for their account page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time
from typing import Any

from django.contrib.auth.models import User

from clinic.selectors.recipients import prescribed_routines
from reminders import rules
from reminders.models import RoutineReminder

DEFAULT_ROUTINE_TIME = time(18, 0)


@dataclass(frozen=True)
class RoutineReminderSetting:
    offered: bool  # the person has a routine prescribed
    on: bool
    time: time
    weekdays: int

    def day_on(self, day: int) -> bool:
        return bool(self.weekdays >> day & 1)


def routine_reminder_get(*, user: User) -> RoutineReminderSetting:
    """The patient's "Today: <routine>" setting; off, with days spread from their
    prescription, until they turn it on."""
    saved = RoutineReminder.objects.filter(user=user).first()
    routines = prescribed_routines(user_ids=[user.pk]).get(user.pk, [])
    if saved is not None:
        return RoutineReminderSetting(bool(routines), True, saved.time, saved.weekdays)
    most = max((r.days_per_week for r in routines), default=3)
    return RoutineReminderSetting(bool(routines), False, DEFAULT_ROUTINE_TIME, rules.spread(most))


def routine_reminder_as_dict(*, user: User) -> dict[str, Any] | None:
    """The "Today: <routine>" setting, for the person's data export."""
    saved = RoutineReminder.objects.filter(user=user).first()
    if saved is None:
        return None
    days = [rules.WEEKDAYS[d] for d in range(7) if saved.weekdays >> d & 1]
    return {"time": saved.time.isoformat(timespec="minutes"), "days": days}
