"""Reads of a person's own sessions."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.db.models import Prefetch, QuerySet

from training.models import SessionExercise, SessionLog

# A log's exercises in the order they were played (one query for any number of logs).
EXERCISES_IN_ORDER = Prefetch("exercises", queryset=SessionExercise.objects.order_by("position"))


def session_list(*, user: User) -> QuerySet[SessionLog]:
    return logs_in_full().filter(user=user)


def logs_in_full() -> QuerySet[SessionLog]:
    """Logs with everything a page or the API shows of them: two queries in all."""
    return SessionLog.objects.select_related("routine_version__routine").prefetch_related(
        EXERCISES_IN_ORDER
    )


def session_as_dict(log: SessionLog) -> dict[str, Any]:
    """One session as plain data, every exercise with what was done (the data export)."""
    return {
        "client_id": str(log.client_id),
        "routine": log.routine_version.routine.slug,
        "version": log.routine_version.number,
        "started_at": log.started_at.isoformat(),
        "ended_at": log.ended_at.isoformat(),
        "received_at": log.received_at.isoformat(),
        "exercises": [
            {
                "position": row.position,
                "exercise": row.exercise_slug,
                "name": row.exercise_name,
                "sets_planned": row.sets_planned,
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


@dataclass(frozen=True)
class WeekSummary:
    sessions: int
    since: datetime


def sessions_this_week(*, user: User, now: datetime) -> WeekSummary:
    """Sessions in the last 7 days, counting today."""
    since = now - timedelta(days=7)
    return WeekSummary(
        sessions=SessionLog.objects.filter(user=user, started_at__gte=since).count(), since=since
    )


def routines_played_since(*, since: dict[int, datetime]) -> set[tuple[int, int]]:
    """(user id, routine id) for each routine a person started a session of at or after
    their own `since` (e.g. their local midnight)."""
    if not since:
        return set()
    played = SessionLog.objects.filter(
        user_id__in=since, started_at__gte=min(since.values())
    ).values_list("user_id", "routine_version__routine_id", "started_at")
    return {(user, routine) for user, routine, at in played if at >= since[user]}
