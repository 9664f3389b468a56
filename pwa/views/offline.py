"""The installable app's plumbing: the service worker, the web app manifest, the offline page."""

from __future__ import annotations

import json

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from pwa import offline


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js with its settings prepended, served from the root so its scope is the
    whole app. `no-cache`: the browser asks every time, so a new version is seen at once."""
    config = {
        "version": offline.app_version(),
        "precache": offline.precache_urls(),
        "offlineUrl": reverse("pwa:offline"),
        "staticUrl": settings.STATIC_URL,
        "icon": static("icons/icon-192.png"),
        # The same outbox module the pages use, for Background Sync replays.
        "outbox": static("js/outbox.js"),
    }
    source = finders.find("js/sw.js")
    assert isinstance(source, str), "static/js/sw.js is part of the app"
    with open(source, encoding="utf-8") as file:
        body = f"const FOOTING = {json.dumps(config, indent=2)};\n\n{file.read()}"
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    patch_cache_control(response, no_cache=True)
    return response


@require_GET
def web_manifest(request: HttpRequest) -> JsonResponse:
    response = JsonResponse(offline.web_manifest(), content_type="application/manifest+json")
    patch_cache_control(response, no_cache=True)
    return response


@require_GET
def offline_page(request: HttpRequest) -> HttpResponse:
    """The saved routines, and what the service worker shows for anything not saved."""
    return render(request, "pwa/offline.html")
