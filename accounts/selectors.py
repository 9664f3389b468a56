"""Reads of a runner's account: settings, zone, and the account as plain data."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.db.models import F, Q, Value
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, NullIf

from accounts.models import Profile

DEFAULT_ZONE = "UTC"  # a person without a profile row (made outside sign-up)


def profile_get(*, user: User) -> Profile:
    """The runner's settings; defaults (unsaved) for accounts made outside sign-up.

    Kept on the user object: the log-in backend loads it with the logged-in person, so a
    request reads it at most once, and usually in the same query as the person.
    """
    try:
        return user.profile
    except Profile.DoesNotExist:
        return Profile(user=user)  # (which the user object then keeps too)


def display_name(*, user: User) -> str:
    """What the clinic calls the person: the name they (or their invitation) gave, else
    their email or username. `person_columns` is the same rule inside a query."""
    return profile_get(user=user).display_name or user.get_username()


@dataclass(frozen=True)
class PersonColumns:
    """Expressions for a query over rows that point at a user: the name (as
    `display_name`), email, phone and time zone, read in the same query."""

    name: Combinable
    email: Combinable
    phone: Combinable
    zone: Combinable


def person_columns(*, user: str = "user__") -> PersonColumns:
    """`user` is the lookup path from the query's rows to the user ("user__")."""
    return PersonColumns(
        name=Coalesce(NullIf(F(f"{user}profile__display_name"), Value("")), F(f"{user}username")),
        email=F(f"{user}email"),
        phone=Coalesce(F(f"{user}profile__phone"), Value("")),
        zone=Coalesce(F(f"{user}profile__time_zone"), Value(DEFAULT_ZONE)),
    )


def tel_link(phone: str) -> str:
    """A `tel:` address for a stored phone number (digits and a leading +)."""
    digits = "".join(ch for ch in phone if ch.isdigit())
    return f"tel:{'+' if phone.strip().startswith('+') else ''}{digits}" if digits else ""


def user_zone(*, user: User) -> ZoneInfo:
    return ZoneInfo(profile_get(user=user).time_zone)


def local_today(*, user: User, now: datetime) -> date:
    """The runner's calendar day at `now`, in their own time zone."""
    return now.astimezone(user_zone(user=user)).date()


def account_as_dict(*, user: User) -> dict[str, Any]:
    """The account itself as plain data (never the password hash)."""
    return {
        "username": user.get_username(),
        "email": user.email,
        "date_joined": user.date_joined.isoformat(),
        "last_login": user.last_login.isoformat() if user.last_login else None,
    }


def profile_as_dict(*, user: User) -> dict[str, Any]:
    profile = profile_get(user=user)
    return {
        "display_name": profile.display_name,
        "phone": profile.phone,
        "main_condition": profile.main_condition,
        "time_zone": profile.time_zone,
        "reminder_time": profile.reminder_time.isoformat() if profile.reminder_time else None,
        "distance_unit": profile.distance_unit,
    }


def reminder_zones() -> list[str]:
    """The time zones of everyone with a morning reminder set."""
    return list(
        Profile.objects.filter(reminder_time__isnull=False)
        .values_list("time_zone", flat=True)
        .distinct()
    )


def reminders_between(*, windows: dict[str, tuple[time, time]]) -> list[tuple[int, str, time]]:
    """(user id, zone, reminder time) for everyone whose morning reminder time falls in
    their zone's window [start, end] (both wall-clock times of that zone)."""
    match = Q(pk__in=[])
    for zone, (start, end) in windows.items():
        match |= Q(time_zone=zone, reminder_time__gte=start, reminder_time__lte=end)
    rows = Profile.objects.filter(match).values_list("user_id", "time_zone", "reminder_time")
    return [(user_id, zone, at) for user_id, zone, at in rows if at is not None]


def zones_of(*, user_ids: Iterable[int]) -> dict[int, ZoneInfo]:
    """Each person's zone (UTC for an account without a profile)."""
    zones = dict(
        Profile.objects.filter(user_id__in=set(user_ids)).values_list("user_id", "time_zone")
    )
    return {user_id: ZoneInfo(zones.get(user_id, "UTC")) for user_id in user_ids}
