"""Reads of a runner's account: settings, the log-in throttle, and their data to take away."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User

from accounts.models import LoginFailure, Profile

# Failed log-ins allowed in the window before the next attempt has to wait.
ACCOUNT_LIMIT = 5
ADDRESS_LIMIT = 20
WINDOW = timedelta(minutes=15)


def profile_get(*, user: User) -> Profile:
    """The runner's settings; defaults (unsaved) for accounts made outside sign-up."""
    profile = Profile.objects.filter(user=user).first()
    return profile if profile is not None else Profile(user=user)


def user_zone(*, user: User) -> ZoneInfo:
    return ZoneInfo(profile_get(user=user).time_zone)


def local_today(*, user: User, now: datetime) -> date:
    """The runner's calendar day at `now`, in their own time zone."""
    return now.astimezone(user_zone(user=user)).date()


@dataclass(frozen=True)
class LoginWait:
    """Why a log-in must wait, and for how long."""

    kind: str
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.seconds // 60))


def login_wait(*, username: str, address: str, now: datetime) -> LoginWait | None:
    """None when a log-in may be tried now; else the longer of the two waits.

    The wait ends when the oldest failure that counts leaves the window, so a guesser
    gets at most ACCOUNT_LIMIT tries per account (ADDRESS_LIMIT per address) per window.
    """
    waits = [
        _wait(LoginFailure.Kind.ACCOUNT, username.casefold(), ACCOUNT_LIMIT, now),
        _wait(LoginFailure.Kind.ADDRESS, address, ADDRESS_LIMIT, now),
    ]
    found = [wait for wait in waits if wait is not None]
    return max(found, key=lambda wait: wait.seconds) if found else None


def _wait(kind: str, key: str, limit: int, now: datetime) -> LoginWait | None:
    if not key:
        return None
    recent = list(
        LoginFailure.objects.filter(kind=kind, key=key, at__gt=now - WINDOW)
        .order_by("-at")
        .values_list("at", flat=True)[:limit]
    )
    if len(recent) < limit:
        return None
    free_at = recent[-1] + WINDOW
    return LoginWait(kind=kind, seconds=max(1, int((free_at - now).total_seconds())))


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
