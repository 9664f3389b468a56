"""The clinic's routines over the API: the library beside the clinic's own, copying,
building one, the draft, publishing, versions; and a patient's "Your routine was
updated" notices.

Staff routes need a clinician's session (CSRF on): 401 when not logged in, 403 for
patients and runners. Each is scoped to the clinician's clinic: another clinic's routine
is a 404, the library is read-only (403 to a write). Every write names the version and
draft revision it started from; something newer is a 409 saying who did what and when.
Errors have one shape: `{"detail": ..., "field": ...}`.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from ninja import Field, Router, Schema, Status
from ninja.security import django_auth

from api.offline import RoutineUpdateOut
from api.schemas import ErrorOut, InSchema
from clinic import services
from clinic.models import Membership
from clinic.permissions import clinician_auth
from clinic.selectors.routines import routine_editor, routine_lists
from clinic.selectors.updates import routine_updates
from footing.http import logged_in_user
from library.doses import HoldSeconds, Minutes, Reps, RestSeconds, Sets
from library.drafts import MAX_ITEMS
from library.models import Phase, Routine
from library.types import DraftItem

router = Router(tags=["clinic routines"], auth=clinician_auth)
updates_router = Router(tags=["routine updates"], auth=django_auth)

STAFF_ERRORS = {401: ErrorOut, 403: ErrorOut}
WRITE_ERRORS = {404: ErrorOut, 409: ErrorOut, 422: ErrorOut, **STAFF_ERRORS}
Slug = Annotated[str, Field(min_length=1, max_length=50, pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$")]
Count = Annotated[int, Field(strict=True, ge=0)]


class DraftItemIn(InSchema):
    """One exercise of the draft: sets, exactly one of reps, hold_seconds or minutes, and
    rest; the limits are the same as the content files' and the editor's."""

    exercise: Slug
    sets: Sets
    reps: Reps | None = None
    hold_seconds: HoldSeconds | None = None
    minutes: Minutes | None = None
    rest_seconds: RestSeconds = 0
    note: Annotated[str, Field(max_length=300)] = ""

    def item(self) -> DraftItem:
        return DraftItem(**self.model_dump())


Items = Annotated[list[DraftItemIn], Field(min_length=1, max_length=MAX_ITEMS)]


class DraftIn(InSchema):
    items: Items
    # The version and draft revision the client started from (GET .../routines/{slug}).
    expected_version: Count
    draft_revision: Count


class PublishIn(InSchema):
    changelog: Annotated[str, Field(min_length=1, max_length=300)]
    # The version the editor started from: required, so two editors cannot cross.
    expected_version: Count
    draft_revision: Count
    # The items as they should be, in order; leave out to publish the saved draft.
    items: Items | None = None


class RoutineNewIn(InSchema):
    title: Annotated[str, Field(min_length=1, max_length=120)]
    summary: Annotated[str, Field(max_length=500)] = ""
    phase: Phase
    frequency: Annotated[str, Field(max_length=100)] = ""
    conditions: Annotated[list[Slug], Field(min_length=1, max_length=10)]
    items: Items


class RoutineRowOut(Schema):
    slug: str
    title: str
    owner: Literal["clinic", "library"]
    version: int | None
    changelog: str
    url: str


class DraftItemOut(Schema):
    exercise: str
    name: str
    sets: int
    reps: int | None
    hold_seconds: int | None
    minutes: int | None
    rest_seconds: int
    note: str


class VersionOut(Schema):
    version: int
    changelog: str
    published_at: datetime
    published_by: str | None
    url: str


class ReachOut(Schema):
    patients: int
    saved: int


class RoutineEditorOut(Schema):
    slug: str
    title: str
    owner: Literal["clinic", "library"]
    editable: bool
    copied_from: str | None
    copied_from_version: int | None
    version: int | None
    draft_revision: int
    draft_saved_at: datetime | None
    draft_saved_by: str | None
    draft: list[DraftItemOut]
    draft_changes: list[str]
    reach: ReachOut
    versions: list[VersionOut]


class PublishedOut(Schema):
    slug: str
    version: int
    changelog: str
    published_at: datetime
    url: str


class SeenIn(InSchema):
    routine: Slug
    version: Annotated[int, Field(strict=True, ge=1)]


class SeenOut(Schema):
    seen: int


def _membership(request: HttpRequest) -> Membership:
    auth = getattr(request, "auth", None)
    assert isinstance(auth, Membership)  # set by clinician_auth
    return auth


def _owner(routine: Routine) -> Literal["clinic", "library"]:
    return "clinic" if routine.kind == "clinic" else "library"


def _row(routine: Routine) -> dict[str, Any]:
    current = routine.current_version
    return {
        "slug": routine.slug,
        "title": routine.title,
        "owner": _owner(routine),
        "version": current.number if current else None,
        "changelog": current.changelog if current else "",
        "url": f"/api/v1/clinic/routines/{routine.slug}",
    }


def _editor(membership: Membership, slug: str) -> dict[str, Any]:
    editor = routine_editor(membership=membership, slug=slug)
    routine = editor.routine
    return {
        "slug": routine.slug,
        "title": routine.title,
        "owner": _owner(routine),
        "editable": editor.editable,
        "copied_from": routine.copied_from.slug if routine.copied_from else None,
        "copied_from_version": routine.copied_from_version,
        "version": editor.current.number if editor.current else None,
        "draft_revision": routine.draft_revision,
        "draft_saved_at": routine.draft_saved_at,
        "draft_saved_by": routine.draft_saved_by.get_username() if routine.draft_saved_by else None,
        "draft": [
            {
                "exercise": item.exercise.slug,
                "name": item.exercise.name,
                "sets": item.sets,
                "reps": item.reps,
                "hold_seconds": item.hold_seconds,
                "minutes": item.minutes,
                "rest_seconds": item.rest_seconds,
                "note": item.note,
            }
            for item in editor.items
        ],
        "draft_changes": editor.draft_changes,
        "reach": editor.reach,
        "versions": [
            {
                "version": v.number,
                "changelog": v.changelog,
                "published_at": v.published_at,
                "published_by": v.published_by.get_username() if v.published_by else None,
                "url": f"/api/v1/routines/{routine.slug}/versions/{v.number}",
            }
            for v in editor.versions
        ],
    }


@router.get("/clinic/routines", response={200: list[RoutineRowOut], **STAFF_ERRORS})
def clinic_routine_list(request: HttpRequest) -> Any:
    """The clinic's own routines (drafts too), then the library's published ones."""
    lists = routine_lists(membership=_membership(request))
    return [_row(r) for r in [*lists.own, *lists.library]]


@router.post("/clinic/routines", response={201: RoutineEditorOut, **WRITE_ERRORS})
def clinic_routine_create(request: HttpRequest, payload: RoutineNewIn) -> Any:
    """A routine of the clinic's own, built from the library's exercises (a draft)."""
    membership = _membership(request)
    routine = services.routine_create(
        membership=membership,
        title=payload.title,
        summary=payload.summary,
        phase=payload.phase,
        frequency=payload.frequency,
        conditions=payload.conditions,
        items=[i.item() for i in payload.items],
    )
    return Status(201, _editor(membership, routine.slug))


@router.get(
    "/clinic/routines/{slug}", response={200: RoutineEditorOut, 404: ErrorOut, **STAFF_ERRORS}
)
def clinic_routine_detail(request: HttpRequest, slug: str) -> Any:
    """The draft beside the published version, who publishing reaches, and the versions."""
    return _editor(_membership(request), slug)


@router.post("/clinic/routines/{slug}/copy", response={201: RoutineEditorOut, **WRITE_ERRORS})
def clinic_routine_copy(request: HttpRequest, slug: str) -> Any:
    """Copy a library routine into the clinic: its own from now on, at v1."""
    membership = _membership(request)
    copy = services.routine_copy(membership=membership, slug=slug)
    return Status(201, _editor(membership, copy.slug))


@router.put("/clinic/routines/{slug}/draft", response={200: RoutineEditorOut, **WRITE_ERRORS})
def clinic_routine_draft(request: HttpRequest, slug: str, payload: DraftIn) -> Any:
    """Replace the draft. Patients see nothing until it is published."""
    membership = _membership(request)
    services.routine_draft_save(
        membership=membership,
        slug=slug,
        items=[i.item() for i in payload.items],
        expected_version=payload.expected_version,
        expected_revision=payload.draft_revision,
    )
    return _editor(membership, slug)


@router.post("/clinic/routines/{slug}/publish", response={201: PublishedOut, **WRITE_ERRORS})
def clinic_routine_publish(request: HttpRequest, slug: str, payload: PublishIn) -> Any:
    """Publish the draft (or `items`) as the next version. Every patient with it
    prescribed is told what changed."""
    version = services.routine_publish(
        membership=_membership(request),
        slug=slug,
        changelog=payload.changelog,
        expected_version=payload.expected_version,
        expected_revision=payload.draft_revision,
        items=[i.item() for i in payload.items] if payload.items is not None else None,
    )
    return Status(
        201,
        {
            "slug": slug,
            "version": version.number,
            "changelog": version.changelog,
            "published_at": version.published_at,
            "url": f"/api/v1/routines/{slug}/versions/{version.number}",
        },
    )


@router.get(
    "/clinic/routines/{slug}/versions",
    response={200: list[VersionOut], 404: ErrorOut, **STAFF_ERRORS},
)
def clinic_routine_versions(request: HttpRequest, slug: str) -> Any:
    return _editor(_membership(request), slug)["versions"]


@updates_router.get("/me/routine-updates", response={200: list[RoutineUpdateOut], 401: ErrorOut})
def routine_update_list(request: HttpRequest) -> Any:
    """What the patient's clinic changed in their prescribed routines since they last saw
    it ("Your routine was updated: <changelog>"). Empty for everyone else."""
    return routine_updates(user=logged_in_user(request))


@updates_router.post(
    "/me/routine-updates/seen",
    response={200: SeenOut, 401: ErrorOut, 422: ErrorOut},
    url_name="routine_updates_seen",
)
def routine_update_seen(request: HttpRequest, payload: SeenIn) -> Any:
    """The phone showed the notice for this version: do not show it again anywhere."""
    return {
        "seen": services.routine_updates_seen(
            user=logged_in_user(request), seen=[(payload.routine, payload.version)]
        )
    }
