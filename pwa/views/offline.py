"""The installable app's plumbing: the service worker, the web app manifest, the offline page."""

from __future__ import annotations

import json
import re

from django.conf import settings
from django.contrib.staticfiles import finders
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.templatetags.static import static
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_GET

from library.offline.manifest import app_version
from pwa import offline
from pwa.js_urls import js_urls

# The worker's own `import … from "./outbox.js"`: relative to /sw.js they would miss the
# static files, so they are pointed at the hashed copies (which import their own
# neighbours by hashed name: collectstatic rewrites those).
_RELATIVE_IMPORT = re.compile(r'(\bfrom\s+")\./([\w.-]+\.js)(")')


@require_GET
def service_worker(request: HttpRequest) -> HttpResponse:
    """static/js/sw.js (a module worker) with its settings prepended, served from the root
    so its scope is the whole app. `no-cache`: the browser asks every time, so a new version
    is seen at once."""
    config = {
        "version": app_version(),
        "precache": offline.precache_urls(),
        "offlineUrl": reverse("pwa:offline"),
        "staticUrl": settings.STATIC_URL,
        "icon": static("icons/icon-192.png"),
        "urls": js_urls(),
    }
    source = finders.find("js/sw.js")
    assert isinstance(source, str), "static/js/sw.js is part of the app"
    with open(source, encoding="utf-8") as file:
        source_text = _RELATIVE_IMPORT.sub(
            lambda m: f"{m[1]}{static('js/' + m[2])}{m[3]}", file.read()
        )
    body = f"const FOOTING = {json.dumps(config, indent=2)};\n\n{source_text}"
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
