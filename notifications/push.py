"""Sending one encrypted message to one browser's push service (RFC 8030/8291/8292, the
encryption by pywebpush) and reading its answer as what to do next."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass
from datetime import timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

from notifications import transport
from notifications.vapid import b64url, signer

logger = logging.getLogger(__name__)

TIMEOUT_SECONDS = 10


@dataclass(frozen=True)
class Message:
    title: str
    body: str
    url: str
    tag: str

    def as_json(self) -> str:
        return json.dumps(
            {"title": self.title, "body": self.body, "url": self.url, "tag": self.tag}
        )


@dataclass(frozen=True)
class Answer:
    """What the push service said. `retry_after` is its Retry-After, when it gave one."""

    status: int | None  # None: no answer at all (timeout, connection refused, no key)
    retry_after: timedelta | None = None
    # The message could not even be made (keys that are not a browser's): never retried.
    unusable: bool = False

    @property
    def accepted(self) -> bool:
        return self.status is not None and 200 <= self.status < 300

    @property
    def gone(self) -> bool:
        """The subscription no longer exists (RFC 8030 §7.3): forget it."""
        return self.status in (404, 410)

    @property
    def transient(self) -> bool:
        """Worth another try later: no answer, too many requests, or the service's fault."""
        if self.unusable:
            return False
        return self.status is None or self.status == 429 or self.status >= 500


def topic(key: str) -> str:
    """RFC 8030 §5.4 Topic for a notice: a push service replaces an undelivered message
    with the same topic, so a resend after a lost answer is not shown twice."""
    return b64url(hashlib.sha256(key.encode()).digest())[:32]


def send(
    *, endpoint: str, p256dh: str, auth: str, message: Message, key: str, ttl: timedelta
) -> Answer:
    vapid = signer()
    if vapid is None:
        return Answer(status=None)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint))
    try:
        response = webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=message.as_json(),
            vapid_private_key=vapid,
            vapid_claims={"sub": settings.VAPID_SUBJECT, "aud": origin},
            ttl=max(1, int(ttl.total_seconds())),
            timeout=TIMEOUT_SECONDS,
            headers={"Topic": topic(key), "Urgency": "normal"},
            content_encoding="aes128gcm",
            requests_session=transport.PushSession(),
        )
    except WebPushException as error:
        if error.response is None:  # raised before sending: keys it cannot use
            return Answer(status=None, unusable=True)
        return _answer(error.response, origin)
    except requests.RequestException as error:
        # No answer: a timeout, a refused address, a reset connection.
        logger.warning("push to %s: %s", urlsplit(endpoint).hostname, type(error).__name__)
        return Answer(status=None)
    except (ValueError, TypeError):
        # Keys that are not base64url or not a point on the curve (stored before they
        # were checked): this browser can never be sent to.
        return Answer(status=None, unusable=True)
    return _answer(response, origin)


def _answer(response: Any, origin: str) -> Answer:
    status = getattr(response, "status_code", None)
    if status is None or not 200 <= status < 300:
        logger.warning("push to %s answered %s", urlsplit(origin).hostname, status)
    retry_after = None
    header = response.headers.get("Retry-After") if response is not None else None
    if header and header.isdigit():
        retry_after = timedelta(seconds=min(int(header), 24 * 3600))
    return Answer(status=status, retry_after=retry_after)
