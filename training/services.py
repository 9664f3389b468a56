"""Recording sessions. Replays are expected: the phone sends a log until it hears back."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.db.models import prefetch_related_objects
from django.utils import timezone

if TYPE_CHECKING:
    from library.models import RoutineVersion

from footing.errors import Conflict, Invalid, NotFound
from footing.times import time_checked
from library.selectors import NONE, RoutineIds, routine_version_get
from training.models import SessionExercise, SessionLog
from training.selectors import EXERCISES_IN_ORDER, logs_in_full

# Phones' clocks drift; a log "from the future" by a few minutes is still honest.
CLOCK_SKEW = timedelta(minutes=10)


@dataclass(frozen=True, kw_only=True)
class ExerciseResult:
    position: int
    exercise: str
    sets_done: int
    # What the person was asked to do: the version's sets, or their clinician's override.
    sets_planned: int | None = None
    reps: int | None = None
    seconds: int | None = None
    skipped: bool = False
    skip_reason: str = ""
    pain: int | None = None
    effort: str = ""


def session_record(
    *,
    user: User,
    client_id: uuid.UUID,
    routine: str,
    version: int,
    started_at: datetime,
    ended_at: datetime,
    exercises: list[ExerciseResult],
    also: RoutineIds = NONE,
) -> tuple[SessionLog, bool]:
    """Store a played session once. Returns (log, created); a replay returns the first log.

    The log comes with its routine and exercises loaded, ready to show.

    Race-free: the unique client UUID decides, so two replays arriving together still
    leave one row, and the loser reads the winner's.
    """
    existing = logs_in_full().filter(client_id=client_id).first()
    if existing is not None:
        return _same_owner(existing, user), False

    try:
        # Another clinic's routine is no routine at all to this person.
        played = routine_version_get(slug=routine, number=version, also=also)
    except NotFound as error:
        raise Invalid(f"Routine {routine!r} has no version {version}.", field="version") from error
    _check(played, started_at=started_at, ended_at=ended_at, exercises=exercises)
    planned = {item["position"]: item for item in played.snapshot["items"]}
    try:
        with transaction.atomic():
            log = SessionLog.objects.create(
                client_id=client_id,
                user=user,
                routine_version=played,
                started_at=started_at,
                ended_at=ended_at,
            )
            SessionExercise.objects.bulk_create(
                SessionExercise(
                    log=log,
                    position=result.position,
                    exercise_slug=result.exercise,
                    exercise_name=planned[result.position]["exercise"]["name"],
                    sets_planned=result.sets_planned or planned[result.position]["sets"],
                    sets_done=result.sets_done,
                    reps_done=result.reps,
                    seconds_done=result.seconds,
                    skipped=result.skipped,
                    skip_reason=result.skip_reason,
                    pain=result.pain,
                    effort=result.effort,
                )
                for result in exercises
            )
    except IntegrityError:
        return _same_owner(logs_in_full().get(client_id=client_id), user), False
    # The log as the selectors give it: its version (and routine) are the ones just read.
    prefetch_related_objects([log], EXERCISES_IN_ORDER)
    return log, True


def _same_owner(log: SessionLog, user: User) -> SessionLog:
    if log.user_id != user.pk:
        # Never reveal or merge into someone else's log; a fresh UUID fixes it.
        raise Conflict("This session id is already used.", field="client_id")
    return log


def _check(
    played: RoutineVersion,
    *,
    started_at: datetime,
    ended_at: datetime,
    exercises: list[ExerciseResult],
) -> None:
    now = timezone.now()
    time_checked(started_at, field="started_at", now=now)
    time_checked(ended_at, field="ended_at", now=now)
    if ended_at < started_at:
        raise Invalid("The session ends before it starts.", field="ended_at")
    if ended_at > now + CLOCK_SKEW:
        raise Invalid("The session ends in the future.", field="ended_at")
    planned = {item["position"]: item for item in played.snapshot["items"]}
    seen: set[int] = set()
    for index, result in enumerate(exercises):
        where = f"exercises.{index}"
        item = planned.get(result.position)
        if item is None or item["exercise"]["slug"] != result.exercise:
            raise Invalid(
                f"{result.exercise!r} is not exercise {result.position} of this routine version.",
                field=f"{where}.exercise",
            )
        if result.position in seen:
            raise Invalid("Each exercise is logged once.", field=f"{where}.position")
        seen.add(result.position)
        if result.skipped and not result.skip_reason:
            raise Invalid("Say why the exercise was skipped.", field=f"{where}.skip_reason")
        asked = result.sets_planned or item["sets"]
        if result.sets_done > asked * 2:
            raise Invalid(f"More sets than planned ({asked}).", field=f"{where}.sets_done")
