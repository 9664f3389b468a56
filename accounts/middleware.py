"""Show every time in the logged-in person's own time zone."""

from __future__ import annotations

from collections.abc import Callable
from zoneinfo import ZoneInfo

from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from accounts.selectors import profile_get

# Kept in the session (as Django's time-zone guide does) so a page costs no extra query:
# read from the profile once a session, refreshed when the profile is saved.
SESSION_KEY = "time_zone"


def session_zone_remember(request: HttpRequest, *, time_zone: str) -> None:
    request.session[SESSION_KEY] = time_zone
    timezone.activate(ZoneInfo(time_zone))


class UserTimeZoneMiddleware:
    """A session started at 18:40 in Auckland reads 18:40 on /history/ and on the clinic's
    patient page, not the server's UTC. Anonymous visitors see the server's zone (their
    own sessions are drawn by the phone, in the phone's zone)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = request.user
        if user.is_authenticated:
            name = request.session.get(SESSION_KEY)
            if name is None:
                name = profile_get(user=user).time_zone
                request.session[SESSION_KEY] = name
            timezone.activate(ZoneInfo(name))
        else:
            timezone.deactivate()
        try:
            return self.get_response(request)
        finally:
            # Threads serve many people: never let one person's zone reach the next.
            timezone.deactivate()
