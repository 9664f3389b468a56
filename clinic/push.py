"""Web Push: VAPID keys and sending one encrypted message (RFC 8291/8292 via pywebpush).

The server's identity is one P-256 key pair. Only the private key is configured
(`VAPID_PRIVATE_KEY`, the raw 32-byte key, base64url, from `manage.py vapid_keys`); the
public key the browser needs is derived from it. Without a key, push is off and the
settings page says so instead of offering a switch that cannot work.
"""

from __future__ import annotations

import base64
import json
import logging
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid  # type: ignore[import-untyped]
from pywebpush import WebPushException, webpush  # type: ignore[import-untyped]

logger = logging.getLogger(__name__)

# How long a push service keeps an undelivered message: a routine update is still news
# a day later, not a week later.
TTL_SECONDS = 24 * 60 * 60
TIMEOUT_SECONDS = 10


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def keys_generate() -> tuple[str, str]:
    """A new (private, public) pair, both base64url: raw 32-byte scalar, uncompressed point."""
    key = ec.generate_private_key(ec.SECP256R1())
    private = key.private_numbers().private_value.to_bytes(32, "big")
    return b64url(private), _public(key)


def _public(key: ec.EllipticCurvePrivateKey) -> str:
    return b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def _vapid() -> Vapid | None:
    raw = getattr(settings, "VAPID_PRIVATE_KEY", "")
    return Vapid.from_raw(raw.encode()) if raw else None


def public_key() -> str:
    """The applicationServerKey for PushManager.subscribe, or "" when push is off."""
    vapid = _vapid()
    return _public(vapid.private_key) if vapid is not None else ""


@dataclass(frozen=True)
class Delivery:
    ok: bool
    gone: bool = False  # the endpoint no longer exists: forget the subscription
    status: int | None = None


def send(*, endpoint: str, p256dh: str, auth: str, message: dict[str, Any]) -> Delivery:
    """Encrypt `message` (JSON) for one browser and hand it to its push service."""
    vapid = _vapid()
    if vapid is None:
        return Delivery(ok=False)
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(endpoint))
    try:
        response = webpush(
            subscription_info={"endpoint": endpoint, "keys": {"p256dh": p256dh, "auth": auth}},
            data=json.dumps(message),
            vapid_private_key=vapid,
            vapid_claims={"sub": settings.VAPID_SUBJECT, "aud": origin},
            ttl=TTL_SECONDS,
            timeout=TIMEOUT_SECONDS,
            content_encoding="aes128gcm",
        )
    except WebPushException as error:
        status = error.response.status_code if error.response is not None else None
        logger.warning("push to %s failed: %s", origin, status or error)
        return Delivery(ok=False, gone=status in (404, 410), status=status)
    status = getattr(response, "status_code", None)
    return Delivery(ok=True, status=status)
