"""Session logs: a person's own only (session cookie auth, CSRF on)."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any
from uuid import UUID

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.pagination import paginate
from ninja.security import django_auth

from api.paging import Newest
from api.schemas import ErrorOut, InSchema, Moment, Score, StrictBool
from clinic.permissions import routines_visible_to
from footing.http import logged_in_user
from training import selectors, services
from training.models import Effort, SessionLog, SkipReason

router = Router(tags=["sessions"], auth=django_auth)

Count = Annotated[int, Field(strict=True, ge=0, le=1000)]


class SessionExerciseIn(InSchema):
    position: Annotated[int, Field(strict=True, ge=1, le=60)]
    exercise: Annotated[str, Field(min_length=1, max_length=50)]
    sets_done: Annotated[int, Field(strict=True, ge=0, le=50)]
    # The sets the player asked for (a prescription can change the version's number).
    sets_planned: Annotated[int, Field(strict=True, ge=1, le=50)] | None = None
    reps: Count | None = None
    seconds: Annotated[int, Field(strict=True, ge=0, le=36000)] | None = None
    skipped: StrictBool = False
    skip_reason: SkipReason | None = None
    pain: Score | None = None
    effort: Effort | None = None


class SessionIn(InSchema):
    client_id: UUID
    routine: Annotated[str, Field(min_length=1, max_length=50)]
    version: Annotated[int, Field(strict=True, ge=1)]
    started_at: Moment
    ended_at: Moment
    exercises: Annotated[list[SessionExerciseIn], Field(min_length=1, max_length=60)]


class SessionExerciseOut(Schema):
    position: int
    exercise: str = Field(alias="exercise_slug")
    name: str = Field(alias="exercise_name")
    sets_planned: int
    sets_done: int
    reps: int | None = Field(alias="reps_done")
    seconds: int | None = Field(alias="seconds_done")
    skipped: bool
    skip_reason: str
    pain: int | None
    effort: str


class SessionOut(Schema):
    client_id: UUID
    routine: str
    routine_title: str
    version: int
    started_at: datetime
    ended_at: datetime
    exercises: list[SessionExerciseOut]

    @staticmethod
    def resolve_routine(obj: SessionLog) -> str:
        return obj.routine_version.routine.slug

    @staticmethod
    def resolve_routine_title(obj: SessionLog) -> str:
        return obj.routine_version.snapshot["title"]  # type: ignore[no-any-return]

    @staticmethod
    def resolve_version(obj: SessionLog) -> int:
        return obj.routine_version.number

    @staticmethod
    def resolve_exercises(obj: SessionLog) -> list[Any]:
        return list(obj.exercises.all())


@router.post("/sessions", response={200: SessionOut, 201: SessionOut, 409: ErrorOut, 422: ErrorOut})
def session_create(request: HttpRequest, payload: SessionIn) -> Any:
    """Upsert by `client_id`: 201 the first time, 200 with the same log on every replay."""
    log, created = services.session_record(
        user=logged_in_user(request),
        client_id=payload.client_id,
        routine=payload.routine,
        version=payload.version,
        started_at=payload.started_at,
        ended_at=payload.ended_at,
        also=routines_visible_to(user=request.user),
        exercises=[
            services.ExerciseResult(
                **item.model_dump(exclude={"skip_reason", "effort"}),
                skip_reason=item.skip_reason or "",
                effort=item.effort or "",
            )
            for item in payload.exercises
        ],
    )
    return Status(201 if created else 200, log)


@router.get("/sessions", response=list[SessionOut])
@paginate(Newest, ordering=("-started_at", "id"))  # same start: the later-saved one last
def session_list(request: HttpRequest) -> Any:
    """The person's sessions, latest start first, a page at a time (follow `next`)."""
    return selectors.session_list(user=logged_in_user(request))
