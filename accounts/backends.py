"""Logging in and loading the logged-in person: their profile comes with them.

Nearly every request of a logged-in person needs their settings (time zone, main
condition, units); loading the profile in the same query as the person saves one query
on each of those requests.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db import connections, router
from django.http import HttpRequest

from accounts.models import Profile
from footing.sql import Columns

# The path sessions record for people who log in from now on.
PROFILE_BACKEND = "accounts.backends.ProfileBackend"
PERSON = Columns(User)
PROFILE = Columns(Profile)


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
        user = person_with_profile(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None


def person_with_profile(user_id: Any) -> User | None:
    """`User.objects.select_related("profile").filter(pk=user_id).first()`, in SQL written
    once: this read is on every logged-in request (footing/sql.py says why)."""
    alias = router.db_for_read(User)
    connection = connections[alias]
    owner = Profile._meta.get_field("user")
    with connection.cursor() as cursor:
        cursor.execute(_person_sql(alias), [User._meta.pk.get_db_prep_value(user_id, connection)])
        row = cursor.fetchone()
    if row is None:
        return None
    user = PERSON.instance(connection, row[: len(PERSON)])
    profile = None
    if row[len(PERSON)] is not None:  # (the profile's id: no profile row, all NULL)
        profile = PROFILE.instance(connection, row[len(PERSON) :])
        owner.set_cached_value(profile, user)
    owner.remote_field.set_cached_value(user, profile)  # user.profile, or DoesNotExist
    return user


@cache
def _person_sql(alias: str) -> str:
    """The statement, written once per database (quoting differs)."""
    connection = connections[alias]
    quote = connection.ops.quote_name
    users, profiles = quote(User._meta.db_table), quote(Profile._meta.db_table)
    owner = Profile._meta.get_field("user")
    return (
        f"SELECT {PERSON.select(connection)}, {PROFILE.select(connection)} FROM {users} "
        f"LEFT OUTER JOIN {profiles} ON ({profiles}.{quote(str(owner.column))} = "
        f"{users}.{quote(str(User._meta.pk.column))}) "
        f"WHERE {users}.{quote(str(User._meta.pk.column))} = %s"
    )


def _or_stop(user: User | None, password: str | None) -> User | None:
    if user is None and password is not None:
        raise PermissionDenied  # (django.contrib.auth still reports the failed log-in)
    return user
