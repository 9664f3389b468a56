"""Logging in and loading the logged-in person: their profile comes with them.

Nearly every request of a logged-in person needs their settings (time zone, main
condition, units); loading the profile in the same query as the person saves one query
on each of those requests.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

# The path sessions record for people who log in from now on.
PROFILE_BACKEND = "accounts.backends.ProfileBackend"


class ProfileBackend(ModelBackend):
    """Django's username and password check; the person is loaded with their profile.

    `django.contrib.auth.backends.ModelBackend` stays listed after it only so that sessions
    made before it keep working. Wrong credentials stop the search here: the model backend
    would only check the same password again (one more slow hash per failed log-in).
    """

    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = super().authenticate(request, username=username, password=password, **kwargs)
        return _or_stop(user, password)

    async def aauthenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        user = await super().aauthenticate(request, username=username, password=password, **kwargs)
        return _or_stop(user, password)

    def get_user(self, user_id: Any) -> User | None:
        user = User._default_manager.select_related("profile").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None


def _or_stop(user: User | None, password: str | None) -> User | None:
    if user is None and password is not None:
        raise PermissionDenied  # (django.contrib.auth still reports the failed log-in)
    return user
