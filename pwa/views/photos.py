"""The clinic's uploaded exercise photos, served from MEDIA_URL.

WhiteNoise only serves files that existed when the app started, so uploads need a view.
Each name is the hash of the file's bytes: a name never changes meaning, so browsers and
the service worker may keep it forever.
"""

from __future__ import annotations

import re

from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_safe

from library.photos import photo_dir

NAME = re.compile(r"[0-9a-f]{32}\.webp")
FOREVER = "public, max-age=31536000, immutable"


@require_safe
def exercise_photo_file(request: HttpRequest, name: str) -> FileResponse:
    # The pattern also keeps the name inside the folder (no "..", no slashes).
    if not NAME.fullmatch(name):
        raise Http404("No such photo.")
    try:
        handle = (photo_dir() / name).open("rb")
    except FileNotFoundError:
        raise Http404("No such photo.") from None
    response = FileResponse(handle, content_type="image/webp")
    response["Cache-Control"] = FOREVER
    return response
