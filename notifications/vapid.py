"""The server's Web Push identity (VAPID, RFC 8292): one P-256 key pair.

Only the private key is configured (`VAPID_PRIVATE_KEY`: the raw 32-byte scalar,
base64url). A local run generates one on first use and keeps it in `.local-vapid-key`
beside `.local-secret-key` (both out of git); a deployment sets it in the environment
(`manage.py vapid_keys` prints a new one; `check --deploy` warns without it). The public
key browsers subscribe with is derived from it.
"""

from __future__ import annotations

import base64

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings
from py_vapid import Vapid  # type: ignore[import-untyped]

from footing.env import vapid_key_generate


def b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def b64url_decode(text: str) -> bytes:
    """Strict base64url: the URL-safe alphabet only, padding optional. ValueError otherwise."""
    if not text or any(c not in _ALPHABET for c in text.rstrip("=")):
        raise ValueError("not base64url")
    return base64.urlsafe_b64decode(text.rstrip("=") + "=" * (-len(text.rstrip("=")) % 4))


_ALPHABET = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_")


def keys_generate() -> tuple[str, str]:
    """A new (private, public) pair, both base64url: raw 32-byte scalar, uncompressed point."""
    private = vapid_key_generate()
    return private, _public(Vapid.from_raw(private.encode()).private_key)


def _public(key: ec.EllipticCurvePrivateKey) -> str:
    return b64url(
        key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
    )


def signer() -> Vapid | None:
    """The key that signs each push request, or None when push is off."""
    raw = getattr(settings, "VAPID_PRIVATE_KEY", "")
    return Vapid.from_raw(raw.encode()) if raw else None


def public_key() -> str:
    """The applicationServerKey for PushManager.subscribe, or "" when push is off."""
    vapid = signer()
    return _public(vapid.private_key) if vapid is not None else ""
