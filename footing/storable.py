"""Which answers a browser may keep: only those proven to be the same for everyone.

Phones are shared. Whatever a browser or the service worker stores outlives a log-out and
opens offline for the next person, so the rule is the other way round from the web's
default: every answer is `Cache-Control: private, no-store` unless its route is on the
allow-list below. Those routes answer the same bytes to whoever asks, logged in or not
(tests/test_caching.py renders each for an anonymous visitor, a runner, a patient with
data and two clinicians and compares them), and are marked `public`, which is what the
service worker looks for before it keeps a copy (static/js/sw.js, `storable`).

An allow-listed answer still stays private when:
- its view said so (a clinic's own routine is served on the library's routes, only to
  that clinic's people: `private, no-cache`, which a saved copy may hold but no shared
  cache or runtime cache may);
- it sets a cookie (a cookie in a stored answer would reach the next person);
- the request was not a read (GET or HEAD).

Hashed static files never reach this middleware: WhiteNoise answers them above it, as
`public, immutable`.
"""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control

# Routes whose answer is the same for everyone who asks, logged in or not.
PERSON_FREE = frozenset(
    {
        "pwa:service_worker",
        "pwa:web_manifest",
        "pwa:offline",
        "pwa:conditions",
        "pwa:condition",
        "pwa:exercises",
        "pwa:exercise",
        "pwa:routines",
        "pwa:routine",
        "pwa:player",
        "pwa:checkin",
        "pwa:return_to_running",  # the plan; the runner's place on it is the `you` partial
        "exercise_photo",
        "api:condition_list",
        "api:condition_detail",
        "api:exercise_list",
        "api:exercise_detail",
        "api:routine_list",
        "api:routine_detail",
        "api:routine_version",
        "api:routine_offline_manifest",
        "api:selfcheck_questions",
    }
)
# Routes whose answer is the same for every visitor who is not logged in (and made for
# the person when they are): the start page, and the history a phone keeps by itself.
PERSON_FREE_WHEN_ANONYMOUS = frozenset({"pwa:home", "pwa:history"})

PRIVATE = "private, no-store"


def storable(request: HttpRequest, response: HttpResponse) -> bool:
    """Whether this answer may be kept by a browser, a proxy and the service worker."""
    if request.method not in {"GET", "HEAD"} or response.cookies:
        return False
    match = request.resolver_match
    if match is None:
        return False
    if match.view_name in PERSON_FREE:
        return True
    user = getattr(request, "user", None)
    logged_in = user is not None and user.is_authenticated
    return match.view_name in PERSON_FREE_WHEN_ANONYMOUS and not logged_in


class StorableMiddleware:
    """Marks every answer: `public` when it is person-free, `private, no-store` if not.

    It sits above the session and CSRF middleware, so it sees every cookie they set.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not storable(request, response):
            response.headers["Cache-Control"] = PRIVATE
            response.headers.pop("Expires", None)
            return response
        said = response.headers.get("Cache-Control", "")
        if "private" in said or "no-store" in said:
            return response  # the view narrowed it (a clinic's own routine)
        if said:
            patch_cache_control(response, public=True)
        else:
            # Kept, but asked about again each time: the content changes with a publish.
            patch_cache_control(response, public=True, no_cache=True)
        return response
