"""Read settings from the environment, with the few rules Footing needs."""

from __future__ import annotations

import base64
import os
import secrets
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric import ec
from django.core.exceptions import ImproperlyConfigured


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_int(name: str, default: int, *, minimum: int = 0) -> int:
    value = os.environ.get(name, "").strip()
    if not value:
        return default
    try:
        number = int(value)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be a whole number, not {value!r}.") from error
    if number < minimum:
        raise ImproperlyConfigured(f"{name} must be at least {minimum}.")
    return number


def env_list(name: str, default: list[str]) -> list[str]:
    value = os.environ.get(name, "")
    items = [item.strip() for item in value.split(",") if item.strip()]
    return items or default


def secret_key(*, local: bool, key_file: Path) -> str:
    """The SECRET_KEY from the environment; on a local machine, one generated once.

    A deployment must set SECRET_KEY itself: silently generating one there would log
    everybody out on every restart and differ between app servers.
    """
    key = os.environ.get("SECRET_KEY", "")
    if key:
        return key
    if not local:
        raise ImproperlyConfigured("Set SECRET_KEY (or DEBUG=1 / FOOTING_LOCAL=1 on your machine).")
    if key_file.exists():
        return key_file.read_text().strip()
    key = secrets.token_urlsafe(50)
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def vapid_private_key(*, local: bool, key_file: Path) -> str:
    """The Web Push (VAPID) key from the environment; on a local machine, one generated
    once and kept beside the secret key, so a fresh clone can send push at once.

    A deployment without one runs with push off (`check --deploy` warns): every server
    must share one key, and changing it invalidates every browser's subscription.
    """
    key = os.environ.get("VAPID_PRIVATE_KEY", "")
    if key or not local:
        return key
    if key_file.exists():
        return key_file.read_text().strip()
    key = vapid_key_generate()
    key_file.write_text(key)
    key_file.chmod(0o600)
    return key


def vapid_key_generate() -> str:
    """A new VAPID private key: the raw 32-byte P-256 scalar, base64url without padding."""
    key = ec.generate_private_key(ec.SECP256R1())
    raw = key.private_numbers().private_value.to_bytes(32, "big")
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()
