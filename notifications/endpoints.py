"""Which push subscriptions Footing accepts: the server must only ever contact the
browsers' real push services, never an address of its own network.

An endpoint is accepted when it is `https://` on the default port, its host is on
`PUSH_SERVICE_HOSTS` (exact names, or `*.suffix` for services that shard by host),
it is a name rather than an IP literal, and every address the name resolves to is a
public one. The transport (notifications/transport.py) checks the addresses again when
it connects, so a name that later resolves inward is refused then too.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

from cryptography.hazmat.primitives.asymmetric import ec
from django.conf import settings

from footing.errors import Invalid
from notifications.vapid import b64url_decode

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Resolver = Callable[[str, int], list[str]]


def resolve(host: str, port: int) -> list[str]:
    """Every address `host` resolves to (the system resolver)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return [str(info[4][0]) for info in infos]


def address_public(address: str) -> bool:
    """True for an address on the public internet: not loopback, private, link-local,
    shared (CGNAT), multicast, reserved or unspecified, in IPv4 or IPv6 form."""
    ip: IPAddress = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None and not address_public(str(embedded)):
            return False
    return ip.is_global and not ip.is_multicast


def host_allowed(host: str) -> bool:
    host = host.lower().rstrip(".")
    for pattern in settings.PUSH_SERVICE_HOSTS:
        pattern = pattern.lower()
        if pattern.startswith("*."):
            if host.endswith(pattern[1:]) and len(host) > len(pattern) - 1:
                return True
        elif host == pattern:
            return True
    return False


def _is_ip_literal(host: str) -> bool:
    try:
        ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False
    return True


def endpoint_check(endpoint: str, *, resolver: Resolver | None = None) -> str:
    """The endpoint, if Footing may send to it; else Invalid naming the field."""
    resolver = resolver or resolve
    refused = Invalid("That isn't a push service this server sends to.", field="endpoint")
    try:
        parts = urlsplit(endpoint)
        port = parts.port
    except ValueError as error:
        raise refused from error
    host = parts.hostname or ""
    if parts.scheme != "https" or not host or parts.username or parts.password:
        raise refused
    if port not in (None, 443) or _is_ip_literal(host) or not host_allowed(host):
        raise refused
    try:
        addresses = resolver(host, 443)
    except OSError as error:
        raise Invalid(
            "The push service's address could not be looked up; try again.", field="endpoint"
        ) from error
    if not addresses or not all(address_public(address) for address in addresses):
        raise refused
    return endpoint


def keys_check(*, p256dh: str, auth: str) -> None:
    """p256dh is the browser's P-256 public key (65 bytes, uncompressed, on the curve);
    auth is its 16-byte secret (RFC 8291 §2). Anything else could never be decrypted."""
    try:
        point = b64url_decode(p256dh)
        if len(point) != 65 or point[0] != 4:
            raise ValueError("not an uncompressed point")
        ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), point)
    except ValueError as error:
        raise Invalid("p256dh must be a P-256 public key.", field="keys.p256dh") from error
    try:
        secret = b64url_decode(auth)
    except ValueError as error:
        raise Invalid("auth must be 16 bytes, base64url.", field="keys.auth") from error
    if len(secret) != 16:
        raise Invalid("auth must be 16 bytes, base64url.", field="keys.auth")
