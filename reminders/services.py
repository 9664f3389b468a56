"""Sending the reminders that are due now: the morning check-in ("Good morning — how
were your first steps?") and a patient's "Today: <routine>".

Run every minute by the worker (tasks.reminders_tick). Everything is decided from the
state at `now`, so a late, a repeated or a concurrent run sends nothing twice: each
reminder is a notice keyed by person, kind and local day (notifications.services).
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib.auth.models import User
from django.urls import reverse

from accounts.selectors import reminder_zones, reminders_between, zones_of
from clinic.selectors.recipients import PrescribedRoutine, prescribed_routines
from footing.errors import Invalid
from journal.selectors import checked_in_on
from notifications.selectors import users_reachable
from notifications.services import Announcement, Kind, Notice, notices_send
from reminders import rules
from reminders.models import ALL_DAYS, RoutineReminder
from training.selectors import routines_played_since

CHECKIN_TITLE = "Good morning — how were your first steps?"
CHECKIN_BODY = "Your 30-second morning check-in: tap to answer."
# A reminder is worth showing until its window closes, and at least a few minutes.
MIN_TTL = timedelta(minutes=5)


def reminders_send_due(*, now: datetime) -> list[Notice]:
    """Queue every reminder due at `now`; returns the notices made."""
    return notices_send(announcements=[*_checkin(now), *_routine(now)], now=now)


def _ttl(*, local_now: datetime, at: time) -> timedelta:
    return max(MIN_TTL, rules.expires(local_now=local_now, at=at) - local_now)


def _checkin(now: datetime) -> list[Announcement]:
    windows = {}
    for name in reminder_zones():
        local = now.astimezone(ZoneInfo(name))
        windows[name] = (rules.window_start(local_now=local), local.time())
    candidates = reminders_between(windows=windows)
    if not candidates:  # most minutes of the day: nobody's reminder time is in its window
        return []
    reachable = users_reachable(user_ids=[user_id for user_id, _, _ in candidates])
    due = {
        user_id: (now.astimezone(ZoneInfo(zone)), at)
        for user_id, zone, at in candidates
        if user_id in reachable and rules.due(local_now=now.astimezone(ZoneInfo(zone)), at=at)
    }
    done = checked_in_on(days={user_id: local.date() for user_id, (local, _) in due.items()})
    url = reverse("pwa:checkin")
    return [
        Announcement(
            user_id=user_id,
            kind=Kind.CHECKIN_REMINDER,
            key=f"checkin-{local.date().isoformat()}",
            title=CHECKIN_TITLE,
            body=CHECKIN_BODY,
            url=url,
            ttl=_ttl(local_now=local, at=at),
        )
        for user_id, (local, at) in due.items()
        if user_id not in done
    ]


def _routine(now: datetime) -> list[Announcement]:
    settings = list(RoutineReminder.objects.values_list("user_id", "time", "weekdays"))
    if not settings:
        return []
    zones = zones_of(user_ids=[user_id for user_id, _, _ in settings])
    reachable = users_reachable(user_ids=zones)
    due = {}
    for user_id, at, weekdays in settings:
        local = now.astimezone(zones[user_id])
        if (
            user_id in reachable
            and rules.weekday_on(weekdays, local.date())
            and rules.due(local_now=local, at=at)
        ):
            due[user_id] = (local, at)
    if not due:
        return []
    prescribed = prescribed_routines(user_ids=due)
    midnight = {
        user_id: local.replace(hour=0, minute=0, second=0, microsecond=0)
        for user_id, (local, _) in due.items()
    }
    played = routines_played_since(since=midnight)
    announcements = []
    for user_id, (local, at) in due.items():
        left = [r for r in prescribed.get(user_id, []) if (user_id, r.routine_id) not in played]
        if left:
            announcements.append(
                Announcement(
                    user_id=user_id,
                    kind=Kind.ROUTINE_REMINDER,
                    key=f"routine-day-{local.date().isoformat()}",
                    title=f"Today: {_titles(left)}",
                    body="Your routine for today hasn't been played yet. Tap to start.",
                    url=_routine_url(left),
                    ttl=_ttl(local_now=local, at=at),
                )
            )
    return announcements


def _titles(routines: list[PrescribedRoutine]) -> str:
    if len(routines) == 1:
        return routines[0].title
    return f"{routines[0].title} and {len(routines) - 1} more"


def _routine_url(routines: list[PrescribedRoutine]) -> str:
    if len(routines) == 1:
        return reverse("pwa:routine", args=[routines[0].slug])
    return reverse("pwa:home")


# ---- the patient's setting ---------------------------------------------------------------
def routine_reminder_set(*, user: User, at: time | None, weekdays: int = ALL_DAYS) -> None:
    """Turn "Today: <routine>" on at `at` on `weekdays`, or off with at=None."""
    if at is None:
        RoutineReminder.objects.filter(user=user).delete()
        return
    if not 1 <= weekdays <= ALL_DAYS:
        raise Invalid("Choose at least one day.", field="weekdays")
    RoutineReminder.objects.update_or_create(
        user=user, defaults={"time": at.replace(second=0, microsecond=0), "weekdays": weekdays}
    )
