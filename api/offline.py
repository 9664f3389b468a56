"""Offline routes: what to download to keep a routine, and whether saved copies are current.

Public reads (auth=None on purpose): they describe published content only.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from django.http import HttpRequest
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import etag
from ninja import Field, Query, Router, Schema
from ninja.decorators import decorate_view

from api.schemas import ErrorOut
from library.offline import manifest
from library.offline.sync import RoutineSync, routine_sync
from library.selectors import content_version

router = Router(tags=["offline"], auth=None)


class OfflineFileOut(Schema):
    url: str
    bytes: int
    kind: str


class OfflineManifestOut(Schema):
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


class SyncOut(Schema):
    app_version: str
    routines: list[RoutineSyncOut]


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
def routine_offline_manifest(request: HttpRequest, slug: str) -> Any:
    return manifest.routine_offline_manifest(
        slug=slug, scheme=request.scheme or "http", host=request.get_host()
    )


@router.get("/sync", response={200: SyncOut, 422: ErrorOut}, url_name="sync")
@decorate_view(_revalidate)
def sync(request: HttpRequest, query: Query[SyncIn]) -> Any:
    return {"app_version": manifest.app_version(), "routines": routine_sync(held=query.held())}
