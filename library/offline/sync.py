"""Reads for phones that keep routines offline: "I hold version N of these; what's new?"

One answer per routine asked about, with every changelog line published since the
version the phone holds, so the app can say what changed even after several updates.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.db.models import Q

from footing.errors import Invalid
from library.models import RoutineVersion
from library.selectors import NONE, RoutineIds, visible_routines
from library.versions import snapshot_of

MAX_ROUTINES_PER_SYNC = 50


@dataclass(frozen=True)
class RoutineChange:
    version: int
    changelog: str
    published_at: datetime


@dataclass(frozen=True)
class RoutineSync:
    slug: str
    # False when the routine was archived or never existed: the phone keeps its copy but
    # the app can say the clinic no longer offers it.
    available: bool
    version: int | None = None
    title: str = ""
    changelog: str = ""
    # Versions newer than the one the phone holds, oldest first.
    changes: list[RoutineChange] = field(default_factory=list)

    @property
    def updated(self) -> bool:
        return bool(self.changes)


def routine_sync(*, held: dict[str, int], also: RoutineIds = NONE) -> list[RoutineSync]:
    """`held` maps routine slugs to the version number the phone has saved. Two queries.

    A clinic routine this person may not see (`also` names those they may) answers as
    unavailable, exactly like one that never existed."""
    if len(held) > MAX_ROUTINES_PER_SYNC:
        raise Invalid(
            f"Ask about at most {MAX_ROUTINES_PER_SYNC} routines at once.", field="routine"
        )
    if not held:
        return []
    routines = {
        r.slug: r
        for r in visible_routines(also=also)
        .filter(slug__in=held, archived=False, current_version__isnull=False)
        .select_related("current_version")
    }
    newer = Q(pk__in=[])
    for slug, number in held.items():
        if slug in routines:
            newer |= Q(routine__slug=slug, number__gt=number)
    changes: dict[str, list[RoutineChange]] = {}
    for slug, number, changelog, published_at in (
        RoutineVersion.objects.filter(newer)
        .order_by("routine__slug", "number")
        .values_list("routine__slug", "number", "changelog", "published_at")
    ):
        changes.setdefault(slug, []).append(RoutineChange(number, changelog, published_at))

    answers = []
    for slug in held:
        routine = routines.get(slug)
        if routine is None or routine.current_version is None:
            answers.append(RoutineSync(slug=slug, available=False))
            continue
        current = routine.current_version
        answers.append(
            RoutineSync(
                slug=slug,
                available=True,
                version=current.number,
                title=snapshot_of(current.snapshot)["title"],
                changelog=current.changelog,
                changes=changes.get(slug, []),
            )
        )
    return answers
