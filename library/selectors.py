"""Reads of the content library, shaped for both the API and the pages.

Each function issues a fixed number of queries whatever the number of items: routines
are read from their published snapshot (one row), lists prefetch what they show.

Routine reads return library routines only, unless the caller names the clinic
routines this person may also see (`also`, ids or a subquery of them — the clinic app
decides who sees which; see `clinic.selectors`). Forgetting to pass it can only hide a
clinic's routine, never show one to the wrong person.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.contrib.auth.models import User
from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet

from footing.errors import NotFound
from library.models import (
    Condition,
    ContentRelease,
    Exercise,
    Goal,
    Routine,
    RoutineItem,
    RoutineKind,
    RoutineVersion,
    SavedRoutine,
)
from library.versions import Snapshot, routine_snapshot

# Routine ids a person may see besides the library: a list, or a values_list subquery.
RoutineIds = Collection[int] | QuerySet[Any, Any]
NONE: tuple[int, ...] = ()


def visible_routines(*, also: RoutineIds = NONE) -> QuerySet[Routine]:
    """Library routines, plus the routines in `also`."""
    library = Q(kind=RoutineKind.LIBRARY)
    if isinstance(also, QuerySet) or also:
        return Routine.objects.filter(library | Q(pk__in=also))
    return Routine.objects.filter(library)


def content_version() -> str:
    """The version of all content as a whole: the key of every content cache.

    Raw SQL on purpose: every content request asks, and the ORM spent more building this
    one-row query (~0.18 ms) than the database spent answering it (~0.01 ms).
    """
    table, version, key = map(
        connection.ops.quote_name, (ContentRelease._meta.db_table, "version", "id")
    )
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {version} FROM {table} ORDER BY {key} DESC LIMIT 1")
        row = cursor.fetchone()
    return str(row[0]) if row else "empty"


def condition_list() -> QuerySet[Condition]:
    return Condition.objects.filter(archived=False)


def condition_get(*, slug: str) -> Condition:
    live_routines = _live_routines()
    condition = (
        Condition.objects.filter(slug=slug, archived=False)
        .prefetch_related(
            Prefetch("routines", queryset=live_routines.select_related("current_version"))
        )
        .first()
    )
    if condition is None:
        raise NotFound(f"No condition called {slug!r}.")
    return condition


def condition_routines(*, condition: Condition) -> list[Routine]:
    """The routines a condition may offer: none when it is doctor-first, whatever the
    data says. The one home of that rule: the pages, the API and the self-check ask here.
    Uses the live routines prefetched by `condition_get` (no query) when they are there."""
    if condition.doctor_first:
        return []
    if "routines" in getattr(condition, "_prefetched_objects_cache", {}):
        return list(condition.routines.all())
    return list(_live_routines().filter(conditions=condition).select_related("current_version"))


def _live_routines() -> QuerySet[Routine]:
    return visible_routines().filter(archived=False, current_version__isnull=False)


def conditions_with_routines(*, slugs: list[str]) -> QuerySet[Condition]:
    """Live conditions with their live routines prefetched (2 queries), for
    `condition_routines` to read without more."""
    routines = Prefetch("routines", queryset=_live_routines().select_related("current_version"))
    return Condition.objects.filter(slug__in=slugs, archived=False).prefetch_related(routines)


def condition_find(*, slug: str) -> Condition | None:
    """A live condition by slug, or None (a runner's saved main problem may be archived)."""
    if not slug:
        return None
    return Condition.objects.filter(slug=slug, archived=False).first()


def exercise_list(*, goal: str | None = None, condition: str | None = None) -> QuerySet[Exercise]:
    exercises = Exercise.objects.filter(archived=False)
    if goal:
        if goal not in Goal.values:
            raise NotFound(f"No goal called {goal!r}.", field="goal")
        exercises = exercises.filter(goal=goal)
    if condition:
        exercises = exercises.filter(conditions__slug=condition)
    return exercises.prefetch_related("conditions")


def exercise_get(*, slug: str) -> Exercise:
    exercise = (
        Exercise.objects.filter(slug=slug, archived=False).prefetch_related("conditions").first()
    )
    if exercise is None:
        raise NotFound(f"No exercise called {slug!r}.")
    return exercise


def routines_using(*, exercise: Exercise) -> QuerySet[Routine]:
    """The library routines that use an exercise (the exercise page lists them)."""
    return visible_routines().filter(archived=False, items__exercise=exercise).distinct()


def routine_list(*, condition: str | None = None, also: RoutineIds = NONE) -> QuerySet[Routine]:
    routines = visible_routines(also=also).filter(archived=False, current_version__isnull=False)
    if condition:
        routines = routines.filter(conditions__slug=condition)
    return routines.select_related("current_version").prefetch_related("conditions")


def routine_version_get(
    *, slug: str, number: int | None = None, also: RoutineIds = NONE
) -> RoutineVersion:
    """A published version (the current one when `number` is None), with its routine.

    One query: the snapshot holds everything the page, the API and the player show.
    """
    routines = visible_routines(also=also)
    versions = RoutineVersion.objects.select_related("routine").filter(
        routine__slug=slug, routine__in=routines
    )
    if number is None:
        version = versions.filter(routine__archived=False, routine__current_version=F("pk")).first()
    else:
        version = versions.filter(number=number).first()
    if version is None:
        what = f"version {number} of the routine {slug!r}" if number else f"routine called {slug!r}"
        raise NotFound(f"No {what}.")
    return version


def routine_get(*, slug: str, also: RoutineIds = NONE) -> Routine:
    """A routine (published or not, not archived) with its current version: for the
    editor and for prescribing. Library routines, plus those in `also`."""
    routine = (
        visible_routines(also=also)
        .filter(slug=slug, archived=False)
        .select_related("current_version__published_by", "draft_saved_by", "copied_from")
        .first()
    )
    if routine is None:
        raise NotFound(f"No routine called {slug!r}.")
    return routine


def routines_for_staff(*, also: RoutineIds = NONE) -> QuerySet[Routine]:
    """Every routine a clinic's staff may open, drafts included, newest version loaded."""
    return (
        visible_routines(also=also)
        .filter(archived=False)
        .select_related("current_version")
        .prefetch_related("conditions")
        .order_by("position", "title")
    )


def routine_draft(*, routine: Routine) -> list[RoutineItem]:
    """The routine's items as they stand (a clinic routine's draft), exercises loaded."""
    return list(
        RoutineItem.objects.filter(routine=routine).select_related("exercise").order_by("position")
    )


def routine_draft_snapshot(*, routine: Routine) -> Snapshot:
    """The routine as it stands, as a version would hold it."""
    return routine_snapshot(routine, routine_draft(routine=routine))


def routine_versions(*, routine: Routine, limit: int = 20) -> list[RoutineVersion]:
    """The routine's versions, newest first, with who published each."""
    return list(
        RoutineVersion.objects.filter(routine=routine)
        .select_related("published_by")
        .order_by("-number")[:limit]
    )


def routine_versions_pick(
    *, routine: Routine, numbers: Collection[int]
) -> dict[int, RoutineVersion]:
    return {v.number: v for v in RoutineVersion.objects.filter(routine=routine, number__in=numbers)}


def versions_since(*, seen: dict[int, int]) -> dict[int, list[RoutineVersion]]:
    """For each routine id, its versions newer than the number given, oldest first. One
    query whatever the number of routines."""
    newer = Q(pk__in=[])
    for routine_id, number in seen.items():
        newer |= Q(routine_id=routine_id, number__gt=number)
    found: dict[int, list[RoutineVersion]] = {}
    for version in RoutineVersion.objects.filter(newer).order_by("routine_id", "number"):
        found.setdefault(version.routine_id, []).append(version)
    return found


def exercise_choices() -> list[Exercise]:
    """Exercises an editor may add (not archived), by name."""
    return list(Exercise.objects.filter(archived=False).order_by("name"))


def conditions_for_routines() -> list[Condition]:
    """Conditions a routine may be for: never a doctor-first one."""
    return list(Condition.objects.filter(archived=False, doctor_first=False))


def saved_counts(*, routine: Routine, users: QuerySet[Any, Any]) -> int:
    """How many of `users` (a subquery of user ids) have this routine saved on a phone."""
    return SavedRoutine.objects.filter(routine=routine, user_id__in=users).count()


def exercises_by_slug(*, slugs: Collection[str]) -> list[Exercise]:
    return list(Exercise.objects.filter(slug__in=slugs))


def saved_routines_of(*, user: User) -> list[dict[str, Any]]:
    """Which routines this person's phone said it keeps for offline (their export)."""
    return [
        {"routine": slug, "version": version, "reported_at": reported_at.isoformat()}
        for slug, version, reported_at in SavedRoutine.objects.filter(user=user)
        .order_by("routine__slug")
        .values_list("routine__slug", "version", "reported_at")
    ]
