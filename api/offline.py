"""Offline routes: what to download to keep a routine, and whether saved copies are current.

Public reads (auth=None on purpose): they describe published content; a clinic's own
routine only to that clinic's staff and patients, marked private.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.contrib.auth.models import User
from django.http import HttpRequest, HttpResponse
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import etag
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from api.schemas import ErrorOut
from clinic.permissions import routines_visible_to
from clinic.selectors.updates import RoutineUpdate, prescribed_slugs, routine_updates
from footing.http import clinic_private
from library.offline import manifest
from library.offline.sync import RoutineSync, routine_sync
from library.selectors import content_version
from library.services import saved_routine_add, saved_routines_record

router = Router(tags=["offline"], auth=None)


class OfflineFileOut(Schema):
    url: str
    bytes: int
    kind: str


class OfflineManifestOut(Schema):
    # "clinic": one clinic's own routine, kept under the patient's session and cleared at
    # log-out; "library": everyone's.
    audience: str
    slug: str
    title: str
    version: int
    changelog: str
    app_version: str
    exercises: int
    total_bytes: int
    files: list[OfflineFileOut]


class RoutineChangeOut(Schema):
    version: int
    changelog: str
    published_at: datetime


class RoutineSyncOut(Schema):
    slug: str
    available: bool
    version: int | None
    title: str
    changelog: str
    updated: bool
    changes: list[RoutineChangeOut]
    # Where the phone downloads the routine again (null when it is no longer offered).
    offline_manifest: str | None

    @staticmethod
    def resolve_offline_manifest(obj: RoutineSync) -> str | None:
        return reverse("api:routine_offline_manifest", args=[obj.slug]) if obj.available else None


class RoutineUpdateOut(Schema):
    """ "Your routine was updated: <changelog>" for a routine the patient is prescribed,
    until they have seen it (POST /me/routine-updates/seen)."""

    slug: str
    title: str
    version: int
    changelog: str
    changes: list[RoutineChangeOut]
    url: str

    @staticmethod
    def resolve_url(obj: RoutineUpdate) -> str:
        return reverse("pwa:routine", args=[obj.slug])


class SyncOut(Schema):
    app_version: str
    routines: list[RoutineSyncOut]
    updates: list[RoutineUpdateOut]
    # The patient's prescribed routines: their clinic's own notice ("updates") says what
    # changed in those, so the phone adds no "saved copy updated" notice of its own.
    prescribed: list[str]


class SyncIn(Schema):
    # Each "slug:version" the phone holds, e.g. ?routine=heel-routine:3&routine=arch:1
    # (the pattern is in the schema, so clients and fuzzers know the shape up front).
    routine: list[Annotated[str, Field(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*:[0-9]{1,9}$")]] = []

    def held(self) -> dict[str, int]:
        pairs = (value.rpartition(":") for value in self.routine)
        return {slug: int(number) for slug, _, number in pairs}


def _app_etag(request: HttpRequest, *args: Any, **kwargs: Any) -> str:
    # Sizes depend on the content and on the app's code (static files, templates).
    return f"offline-{manifest.app_version()}-{content_version()}"


def _revalidate(view: Any) -> Any:
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        patch_cache_control(response, no_cache=True)
        return response

    return wrapped


@router.get(
    "/routines/{slug}/offline-manifest",
    response={200: OfflineManifestOut, 404: ErrorOut},
    url_name="routine_offline_manifest",
)
@decorate_view(_revalidate, etag(_app_etag))
def routine_offline_manifest(request: HttpRequest, slug: str, response: HttpResponse) -> Any:
    also = routines_visible_to(user=request.user)
    kept = manifest.routine_offline_manifest(
        slug=slug,
        scheme=request.scheme or "http",
        host=request.get_host(),
        also=also,
        cookie=request.headers.get("Cookie", ""),
    )
    if kept.audience == "clinic":
        clinic_private(response)
    if isinstance(request.user, User):
        # The clinic's publish screen counts who keeps it saved (the next sync corrects it).
        saved_routine_add(user=request.user, slug=slug, version=kept.version, also=also)
    return kept


@router.get("/sync", response={200: SyncOut, 422: ErrorOut}, url_name="sync")
@decorate_view(_revalidate)
def sync(request: HttpRequest, query: Query[SyncIn], response: HttpResponse) -> Any:
    """Which saved routines have a newer version; for a logged-in patient also what their
    clinic changed in their prescribed routines since they last saw it (`updates`), so a
    phone that was offline can say so on its next start, with no signal."""
    held, also = query.held(), routines_visible_to(user=request.user)
    answer: dict[str, Any] = {
        "app_version": manifest.app_version(),
        "routines": routine_sync(held=held, also=also),
        "updates": [],
        "prescribed": [],
    }
    if isinstance(request.user, User):
        clinic_private(response)
        saved_routines_record(user=request.user, held=held, also=also)
        answer["updates"] = routine_updates(user=request.user)
        answer["prescribed"] = prescribed_slugs(user=request.user)
    return answer
