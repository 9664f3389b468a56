from __future__ import annotations

from dataclasses import asdict

from django.db import DatabaseError
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from footing.queue import queue_state
from library.selectors import content_version


@require_GET
@never_cache
def healthz(request: HttpRequest) -> JsonResponse:
    """For load balancers and `make run`: is the database there, which content is live,
    and how far behind the task queue is (`oldest_waiting_seconds` grows when no worker
    runs). A slow queue does not fail the check: the web server itself is fine."""
    try:
        version = content_version()
        queue = queue_state(now=timezone.now())
    except DatabaseError:
        return JsonResponse({"status": "error", "database": "unavailable"}, status=503)
    return JsonResponse(
        {"status": "ok", "database": "ok", "content_version": version, "queue": asdict(queue)}
    )
