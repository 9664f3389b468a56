"""Content routes: public reads (auth=None on purpose), adapters over library.selectors."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from ninja import Router, Schema

from api.caching import content_cached
from api.schemas import ErrorOut
from clinic.permissions import routines_visible_to
from footing.http import clinic_private
from library import selectors
from library.doses import Dose
from library.illustrations.lookup import exercise_illustration
from library.models import Condition, Exercise, Goal, Routine, RoutineVersion
from library.photos import PhotoView, exercise_photos
from library.versions import items_shown, snapshot_of

router = Router(tags=["content"], auth=None)


class LookAlikeOut(Schema):
    name: str
    how_to_tell: str
    slug: str | None = None


class RedFlagOut(Schema):
    text: str
    urgency: str


class TreatmentGroupOut(Schema):
    heading: str
    items: list[str]


class ConditionSummaryOut(Schema):
    slug: str
    name: str
    summary: str
    doctor_first: bool
    url: str

    @staticmethod
    def resolve_url(obj: Condition) -> str:
        return reverse("pwa:condition", args=[obj.slug])


class RoutineRefOut(Schema):
    slug: str
    title: str


class ConditionOut(ConditionSummaryOut):
    where_it_hurts: str
    body_html: str
    symptom_questions: list[str]
    causes: list[str]
    look_alikes: list[LookAlikeOut]
    red_flags: list[RedFlagOut]
    treatments: list[TreatmentGroupOut]
    recovery: str
    doctor_note: str
    sources: list[str]
    routines: list[RoutineRefOut]

    @staticmethod
    def resolve_routines(obj: Condition) -> list[Routine]:
        return selectors.condition_routines(condition=obj)


class DoseOut(Schema):
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    rest_seconds: int
    per_side: bool
    tempo: str
    frequency: str
    text: str


class ExerciseSummaryOut(Schema):
    slug: str
    name: str
    goal: Goal
    summary: str
    url: str

    @staticmethod
    def resolve_url(obj: Exercise) -> str:
        return reverse("pwa:exercise", args=[obj.slug])


class ImageSetOut(Schema):
    """One picture: `url` at the default width for a plain <img>, `srcset` with every
    rendition width for pages. Names carry a content hash: cache them forever."""

    url: str
    srcset: str
    width: int
    height: int


class IllustrationOut(Schema):
    alt: str
    still: ImageSetOut
    animated: ImageSetOut


class PhotoOut(Schema):
    """A photo the clinic uploaded; `srcset` lists the widths it could fill."""

    alt: str
    url: str
    srcset: str
    width: int
    height: int


class ExerciseOut(ExerciseSummaryOut):
    illustration: IllustrationOut | None
    photos: list[PhotoOut]
    conditions: list[str]
    equipment: list[str]
    starting_position: str
    movement: str
    cues: list[str]
    dose: DoseOut
    progression: str
    regression: str
    safety: list[str]
    source: str

    @staticmethod
    def resolve_illustration(obj: Exercise) -> dict[str, Any] | None:
        found = exercise_illustration(slug=obj.slug)
        return found.as_dict() if found else None

    @staticmethod
    def resolve_photos(obj: Exercise) -> list[PhotoView]:
        return exercise_photos(exercise=obj)

    @staticmethod
    def resolve_conditions(obj: Exercise) -> list[str]:
        return [c.slug for c in obj.conditions.all()]

    @staticmethod
    def resolve_dose(obj: Exercise) -> dict[str, Any]:
        dose = {
            k: getattr(obj, k)
            for k in (
                "sets",
                "reps",
                "hold_seconds",
                "minutes",
                "rest_seconds",
                "per_side",
                "tempo",
                "frequency",
            )
        }
        return dose | {"text": Dose.of(dose).text}


class ConditionRefOut(Schema):
    slug: str
    name: str


class RoutineSummaryOut(Schema):
    slug: str
    title: str
    summary: str
    phase: str
    conditions: list[ConditionRefOut]
    version: int
    url: str

    @staticmethod
    def resolve_version(obj: Routine) -> int:
        return obj.current_version.number if obj.current_version else 0

    @staticmethod
    def resolve_url(obj: Routine) -> str:
        return reverse("pwa:routine", args=[obj.slug])

    @staticmethod
    def resolve_conditions(obj: Routine) -> list[Condition]:
        return list(obj.conditions.all())


class ItemExerciseOut(Schema):
    slug: str
    name: str
    goal: str
    summary: str
    cues: list[str]
    per_side: bool
    tempo: str
    equipment: list[str]
    illustration: IllustrationOut | None = None


class RoutineItemOut(Schema):
    position: int
    exercise: ItemExerciseOut
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    rest_seconds: int
    note: str
    dose: str


class RoutineOut(Schema):
    """A published version of a routine, as a phone plays and keeps it."""

    slug: str
    title: str
    summary: str
    phase: str
    frequency: str
    body_html: str
    conditions: list[ConditionRefOut]
    version: int
    changelog: str
    published_at: datetime
    content_hash: str
    items: list[RoutineItemOut]

    @staticmethod
    def from_version(version: RoutineVersion) -> dict[str, Any]:
        snapshot = snapshot_of(version.snapshot)
        return {
            **snapshot,
            "items": items_shown(snapshot),
            "version": version.number,
            "changelog": version.changelog,
            "published_at": version.published_at,
            "content_hash": version.content_hash,
        }


@router.get("/conditions", response=list[ConditionSummaryOut])
@content_cached
def condition_list(request: HttpRequest) -> Any:
    return selectors.condition_list()


@router.get("/conditions/{slug}", response={200: ConditionOut, 404: ErrorOut})
@content_cached
def condition_detail(request: HttpRequest, slug: str) -> Any:
    return selectors.condition_get(slug=slug)


@router.get("/exercises", response=list[ExerciseSummaryOut])
@content_cached
def exercise_list(
    request: HttpRequest, goal: Goal | None = None, condition: str | None = None
) -> Any:
    return selectors.exercise_list(goal=goal, condition=condition)


@router.get("/exercises/{slug}", response={200: ExerciseOut, 404: ErrorOut})
@content_cached
def exercise_detail(request: HttpRequest, slug: str) -> Any:
    return selectors.exercise_get(slug=slug)


@router.get("/routines", response=list[RoutineSummaryOut])
@content_cached
def routine_list(request: HttpRequest, condition: str | None = None) -> Any:
    return selectors.routine_list(condition=condition)


def _routine_version(
    request: HttpRequest, response: HttpResponse, slug: str, number: int | None = None
) -> dict[str, Any]:
    """A library routine for everyone; a clinic's own routine for its staff and patients
    only (404 for anyone else), marked private so no cache keeps it for someone else."""
    version = selectors.routine_version_get(
        slug=slug, number=number, also=routines_visible_to(user=request.user)
    )
    if version.routine.kind == "clinic":
        clinic_private(response)
    return RoutineOut.from_version(version)


@router.get("/routines/{slug}", response={200: RoutineOut, 404: ErrorOut})
@content_cached
def routine_detail(request: HttpRequest, slug: str, response: HttpResponse) -> Any:
    return _routine_version(request, response, slug)


@router.get("/routines/{slug}/versions/{number}", response={200: RoutineOut, 404: ErrorOut})
@content_cached
def routine_version(request: HttpRequest, slug: str, number: int, response: HttpResponse) -> Any:
    return _routine_version(request, response, slug, number)
