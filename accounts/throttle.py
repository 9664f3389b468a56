"""Slowing down guessing: log-ins through django-axes, other guessable things by address.

Log-ins. Axes checks for a lockout before the password is checked and counts a failure
after it, so guesses sent together all pass the check before any of them is counted (16
parallel guesses got 8 password checks past a limit of 5). `AtomicAxesHandler` counts
each attempt *before* its password is checked, in one transaction holding the counter's
row, and lets the check happen only while the count is within the limit. A right password
then gives the place back (axes resets the account's count, AXES_RESET_ON_SUCCESS); a
wrong one keeps it. Two counters, both per address:

- the account at this address: AXES_FAILURE_LIMIT tries per cool-off. Someone guessing
  from elsewhere cannot lock a clinician out of their own phone;
- the address across all accounts: ADDRESS_LIMIT, for one address trying many accounts.

A lock lasts AXES_COOLOFF_TIME after the last counted failure; tries while locked are
not counted and do not extend it. Counters are axes' AccessAttempt rows with no user
agent kept; log lines name an attempt by a keyed hash, never a name or an address.

Other guessing (a password-reset address, an invitation code): `rate_limited`, a
django-ratelimit count per address in the shared database cache (footing/cache.py).
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.http import HttpRequest
from django.utils import timezone
from django_ratelimit.core import is_ratelimited

# Failed log-ins from one address, over all accounts, before that address must wait.
ADDRESS_LIMIT = 30
# The address's own counter: the row whose username is "" (no account is called that).
EVERY_ACCOUNT = ""

# What may be tried per address, and how often (fixed windows of the period).
RATES = {
    # Each try sends an email to whoever owns the address typed in.
    "password-reset": "5/h",
    # An invitation code opens a clinic's patient list to whoever holds it.
    "invitation": "20/h",
}
TOO_MANY_TRIES = "Too many tries from this network. Wait up to an hour and try again."


@dataclass(frozen=True)
class LoginWait:
    """Why a log-in must wait (`account` or `address`), and for how long."""

    kind: str
    seconds: int

    @property
    def minutes(self) -> int:
        return max(1, -(-self.seconds // 60))


def attempted_username(request: HttpRequest, credentials: dict[str, Any] | None) -> str:
    """The account a log-in names, casefolded: "Ann@x.org" and "ann@x.org" are one target."""
    field = str(getattr(settings, "AXES_USERNAME_FORM_FIELD", "username"))
    name = (credentials or {}).get(field) or request.POST.get(field, "")
    return str(name).strip().casefold()


def attempt_label(
    username: str, ip_address: str, user_agent: str, path_info: str, request: HttpRequest
) -> str:
    """How axes' log lines name an attempt: the same one always gets the same label, and
    the label says nothing about whose account or which address it was."""
    key = settings.SECRET_KEY.encode()
    digest = hmac.new(key, f"{username}|{ip_address}".encode(), hashlib.sha256).hexdigest()
    return f"attempt {digest[:12]} on {path_info}"


class AtomicAxesHandler(AxesDatabaseHandler):  # type: ignore[misc]  # axes is untyped
    def is_allowed(self, request: Any, credentials: dict[str, Any] | None = None) -> bool:
        if self.is_blacklisted(request, credentials):
            return False
        if self.is_whitelisted(request, credentials):
            return True
        wait = _reserve(
            username=get_client_username(request, credentials),
            address=request.axes_ip_address or "",
            now=request.axes_attempt_time,
        )
        request.footing_login_wait = wait
        request.footing_login_counted = wait is None
        return wait is None

    def user_login_failed(
        self, sender: Any, credentials: dict[str, Any], request: Any = None, **kwargs: Any
    ) -> None:
        """The attempt was counted when it was let through; here only say whether that
        failure used up the last try, so the answer is the lockout page straight away."""
        if request is None or getattr(request, "axes_locked_out", False):
            return
        username = get_client_username(request, credentials)
        wait = login_wait(username=username, address=request.axes_ip_address or "")
        if wait is not None:
            request.footing_login_wait = wait
            request.axes_locked_out = True
            request.axes_credentials = credentials

    def user_logged_in(self, sender: Any, request: Any, user: User, **kwargs: Any) -> None:
        super().user_logged_in(sender, request, user, **kwargs)
        if getattr(request, "footing_login_counted", False):
            # A right password was not a failure: the address gets its place back too.
            AccessAttempt.objects.filter(
                username=EVERY_ACCOUNT,
                ip_address=request.axes_ip_address or None,
                failures_since_start__gt=0,
            ).update(failures_since_start=F("failures_since_start") - 1)


def _cool_off() -> timedelta:
    cool_off = settings.AXES_COOLOFF_TIME
    assert isinstance(cool_off, timedelta)
    return cool_off


def _counter(*, username: str, address: str, now: datetime) -> AccessAttempt:
    """The counter's row, locked until the transaction ends; an expired one starts again."""
    attempt, _ = AccessAttempt.objects.select_for_update().get_or_create(
        username=username,
        ip_address=address or None,
        user_agent="",
        defaults={"failures_since_start": 0, "attempt_time": now, "path_info": ""},
    )
    if attempt.attempt_time <= now - _cool_off():
        attempt.failures_since_start = 0
    return attempt


def _reserve(*, username: str, address: str, now: datetime) -> LoginWait | None:
    """Count one attempt now, before its password is checked; None if it may go ahead.

    Both rows are locked in one transaction, so attempts arriving together are counted
    one after the other and no more than the limit get through. A refused attempt is not
    counted (a lock is not extended by knocking on it).
    """
    with transaction.atomic():
        pair = _counter(username=username, address=address, now=now)
        every = _counter(username=EVERY_ACCOUNT, address=address, now=now)
        for kind, row, limit in (
            ("account", pair, settings.AXES_FAILURE_LIMIT),
            ("address", every, ADDRESS_LIMIT),
        ):
            if row.failures_since_start >= limit:
                return _wait(kind, row, now)
        for row in (pair, every):
            row.failures_since_start += 1
            row.attempt_time = now
            row.save(update_fields=["failures_since_start", "attempt_time"])
    return None


def _wait(kind: str, row: AccessAttempt, now: datetime) -> LoginWait:
    free_at = row.attempt_time + _cool_off()
    return LoginWait(kind=kind, seconds=max(1, int((free_at - now).total_seconds())))


def login_wait(*, username: str, address: str, now: datetime | None = None) -> LoginWait | None:
    """None when `username` may try a log-in from `address` now; else the longer wait."""
    now = now or timezone.now()
    waits = []
    for kind, name, limit in (
        ("account", username.casefold(), settings.AXES_FAILURE_LIMIT),
        ("address", EVERY_ACCOUNT, ADDRESS_LIMIT),
    ):
        row = AccessAttempt.objects.filter(
            username=name,
            ip_address=address or None,
            user_agent="",
            attempt_time__gt=now - _cool_off(),
        ).first()
        if row is not None and row.failures_since_start >= limit:
            waits.append(_wait(kind, row, now))
    return max(waits, key=lambda wait: wait.seconds) if waits else None


def login_failures_clear(*, username: str) -> None:
    """Forget the account's counters (the address's stay: they are not the account's)."""
    AccessAttempt.objects.filter(username=username.casefold()).delete()


def rate_limited(request: HttpRequest, *, action: str) -> bool:
    """Count one try of `action` from this request's address; True once over its rate."""
    return bool(is_ratelimited(request, group=action, key="ip", rate=RATES[action], increment=True))
