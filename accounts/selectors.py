"""Reads of a runner's account: settings, zone, and their data to take away."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from accounts.models import Profile


def profile_get(*, user: User) -> Profile:
    """The runner's settings; defaults (unsaved) for accounts made outside sign-up."""
    profile = Profile.objects.filter(user=user).first()
    return profile if profile is not None else Profile(user=user)


def user_zone(*, user: User) -> ZoneInfo:
    return ZoneInfo(profile_get(user=user).time_zone)


def local_today(*, user: User, now: datetime) -> date:
    """The runner's calendar day at `now`, in their own time zone."""
    return now.astimezone(user_zone(user=user)).date()


def account_export(*, user: User) -> dict[str, Any]:
    """Everything Footing keeps about the runner, as plain data (for the JSON download)."""
    # Imported here: journal and training build on accounts, not the other way round.
    from journal.selectors import checkin_as_dict, checkin_list
    from training.selectors import session_list

    profile = profile_get(user=user)
    return {
        "account": {
            "username": user.get_username(),
            "email": user.email,
            "date_joined": user.date_joined.isoformat(),
        },
        "profile": {
            "main_condition": profile.main_condition,
            "time_zone": profile.time_zone,
            "reminder_time": profile.reminder_time.isoformat() if profile.reminder_time else None,
            "distance_unit": profile.distance_unit,
        },
        "checkins": [checkin_as_dict(checkin) for checkin in checkin_list(user=user)],
        "sessions": [
            {
                "client_id": str(log.client_id),
                "routine": log.routine_version.routine.slug,
                "version": log.routine_version.number,
                "started_at": log.started_at.isoformat(),
                "ended_at": log.ended_at.isoformat(),
                "exercises": [
                    {
                        "position": row.position,
                        "exercise": row.exercise_slug,
                        "sets_done": row.sets_done,
                        "reps": row.reps_done,
                        "seconds": row.seconds_done,
                        "skipped": row.skipped,
                        "skip_reason": row.skip_reason,
                        "pain": row.pain,
                        "effort": row.effort,
                    }
                    for row in log.exercises.all()
                ],
            }
            for log in session_list(user=user)
        ],
    }
