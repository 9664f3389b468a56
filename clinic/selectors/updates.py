""" "Your routine was updated": what a patient has not yet been told about the routines
their clinic prescribed them.

A prescription remembers the newest version its patient was told about
(`seen_version`); every version published since is news, with its changelog, until
the patient has seen it once (`clinic.services.routine_updates_seen`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib.auth.models import AnonymousUser, User
from django.db.models import F

from clinic.models import Prescription
from library import selectors as library
from library.versions import snapshot_of


@dataclass(frozen=True)
class Change:
    version: int
    changelog: str
    published_at: datetime


@dataclass(frozen=True)
class RoutineUpdate:
    slug: str
    title: str
    version: int
    # Every version since the one the patient knew, oldest first.
    changes: list[Change]

    @property
    def changelog(self) -> str:
        return self.changes[-1].changelog if self.changes else ""


def prescribed_slugs(*, user: User | AnonymousUser) -> list[str]:
    """The routines this patient's clinic tells them about itself ("Your routine was
    updated", above): a phone's saved copy of one of them needs no notice of its own."""
    if not isinstance(user, User):
        return []
    return sorted(
        Prescription.objects.filter(patient=user, active=True).values_list(
            "routine__slug", flat=True
        )
    )


def routine_updates(*, user: User | AnonymousUser, slug: str | None = None) -> list[RoutineUpdate]:
    """The patient's prescribed routines with a version they have not been told about
    (only `slug`'s, when given). Two queries whatever the number of routines."""
    if not isinstance(user, User):
        return []
    prescriptions = Prescription.objects.filter(
        patient=user,
        active=True,
        routine__archived=False,
        routine__current_version__number__gt=F("seen_version"),
    ).select_related("routine__current_version")
    if slug is not None:
        prescriptions = prescriptions.filter(routine__slug=slug)
    found = list(prescriptions)
    if not found:
        return []
    newer = library.versions_since(seen={p.routine_id: p.seen_version for p in found})
    updates = []
    for p in found:
        current = p.routine.current_version
        assert current is not None  # filtered above
        updates.append(
            RoutineUpdate(
                slug=p.routine.slug,
                title=snapshot_of(current.snapshot)["title"],
                version=current.number,
                changes=[
                    Change(v.number, v.changelog, v.published_at)
                    for v in newer.get(p.routine_id, [])
                ],
            )
        )
    return sorted(updates, key=lambda u: u.title)
