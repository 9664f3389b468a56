"""Writes to a runner's account: sign-up, settings, and deleting it all."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import User
from django.db import transaction

from accounts.models import DistanceUnit, Profile
from accounts.throttle import login_failures_clear
from footing.errors import Invalid


def _zone_name(time_zone: str) -> str:
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Invalid(f"{time_zone!r} is not a time zone.", field="time_zone") from error
    return time_zone


@transaction.atomic
def account_create(*, username: str, password: str, time_zone: str = "UTC") -> User:
    """A new runner. The username may be an email address; if so it is their email too,
    so a forgotten password can be reset."""
    email = username if "@" in username else ""
    user = User.objects.create_user(username, email=email, password=password)
    Profile.objects.create(user=user, time_zone=_zone_name(time_zone))
    return user


def profile_update(
    *,
    user: User,
    main_condition: str,
    time_zone: str,
    reminder_time: time | None,
    distance_unit: str,
) -> Profile:
    if distance_unit not in DistanceUnit.values:
        raise Invalid("Choose kilometres or miles.", field="distance_unit")
    profile, _ = Profile.objects.update_or_create(
        user=user,
        defaults={
            "main_condition": main_condition,
            "time_zone": _zone_name(time_zone),
            "reminder_time": reminder_time,
            "distance_unit": distance_unit,
        },
    )
    user.profile = profile  # what this request reads from now on (selectors.profile_get)
    return profile


@transaction.atomic
def account_delete(*, user: User) -> None:
    """Delete the runner and everything kept about them (check-ins, sessions and profile
    go with the user row; the log-in throttle's counters name the account, so they go
    too)."""
    login_failures_clear(username=user.get_username())
    user.delete()
