"""Writes to a runner's account: sign-up, settings, and deleting it all."""

from __future__ import annotations

from datetime import time
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from django.contrib.auth.models import User
from django.db import transaction

from accounts.models import DistanceUnit, Profile
from accounts.throttle import login_failures_clear
from footing.errors import Invalid

NAME_MAX = 80
PHONE_DIGITS = (6, 15)  # E.164 allows 15; short local numbers still dial
PHONE_MARKS = " -.()/"


def _zone_name(time_zone: str) -> str:
    try:
        ZoneInfo(time_zone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise Invalid(f"{time_zone!r} is not a time zone.", field="time_zone") from error
    return time_zone


def name_clean(name: str) -> str:
    """A display name as stored: spaces collapsed, no control characters, 80 at most."""
    cleaned = " ".join(name.split())
    if any(not ch.isprintable() for ch in cleaned):
        raise Invalid("A name can't hold control characters.", field="display_name")
    if len(cleaned) > NAME_MAX:
        raise Invalid(f"A name is at most {NAME_MAX} characters.", field="display_name")
    return cleaned


def phone_clean(phone: str) -> str:
    """A phone number as stored: what the person typed, trimmed, if a phone can dial it
    (digits with spaces, dashes, dots or brackets, an optional leading +)."""
    cleaned = " ".join(phone.split())
    if not cleaned:
        return ""
    body = cleaned.removeprefix("+")
    digits = sum(ch.isdigit() for ch in body)
    if any(not (ch.isdigit() or ch in PHONE_MARKS) for ch in body) or not (
        PHONE_DIGITS[0] <= digits <= PHONE_DIGITS[1]
    ):
        raise Invalid(
            "Give a phone number of 6 to 15 digits (spaces, dashes and a leading + are fine).",
            field="phone",
        )
    return cleaned[:30]


@transaction.atomic
def account_create(
    *, username: str, password: str, time_zone: str = "UTC", display_name: str = ""
) -> User:
    """A new runner. The username may be an email address; if so it is their email too,
    so a forgotten password can be reset."""
    email = username if "@" in username else ""
    name = name_clean(display_name)
    user = User.objects.create_user(username, email=email, password=password)
    Profile.objects.create(user=user, time_zone=_zone_name(time_zone), display_name=name)
    return user


def display_name_default(*, user: User, name: str) -> None:
    """Give the person a display name (an invitation's label) unless they chose one."""
    name = " ".join(name.split())[:NAME_MAX]
    if name:
        profile, _ = Profile.objects.get_or_create(user=user)
        if not profile.display_name:
            profile.display_name = name
            profile.save(update_fields=["display_name"])


def profile_update(
    *,
    user: User,
    main_condition: str,
    time_zone: str,
    reminder_time: time | None,
    distance_unit: str,
    display_name: str = "",
    phone: str = "",
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
            "display_name": name_clean(display_name),
            "phone": phone_clean(phone),
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
