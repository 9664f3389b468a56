"""The one HTTP client that talks to push services, and what it refuses to do.

- It connects only to addresses the network policy allows: the host is resolved here
  and each address checked before the socket opens (TLS still verifies the name), so a
  push host whose DNS turns inward (rebinding) is refused at connect time, not only
  when the subscription was made.
- It never follows a redirect: a 3xx comes back as the answer (and counts as failed).
- It ignores proxy variables and .netrc from the environment (`trust_env = False`): a
  proxy would connect on our behalf to addresses we never checked.

`NETWORK` is the policy. Production has one (https, public addresses only); the test
suite's local fake push service swaps in a loopback-allowing one in code, never through
a setting or the environment.
"""

from __future__ import annotations

import socket
from dataclasses import dataclass, field
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool
from urllib3.exceptions import NewConnectionError

from notifications.endpoints import address_public, resolve


@dataclass(frozen=True)
class Network:
    schemes: tuple[str, ...] = ("https",)
    allow_loopback: bool = False
    resolver: Any = field(default=resolve)

    def address_ok(self, address: str) -> bool:
        if self.allow_loopback and address in ("127.0.0.1", "::1"):
            return True
        return address_public(address)


NETWORK = Network()


class _Vetted:
    """Mixed into urllib3's connections: resolve, check, then connect to the address."""

    host: str
    port: int
    _dns_host: str

    def _new_conn(self) -> socket.socket:
        try:
            addresses = NETWORK.resolver(self._dns_host, self.port)
        except OSError as error:
            raise NewConnectionError(self, f"cannot resolve {self.host}: {error}") from error  # type: ignore[arg-type]
        allowed = [address for address in addresses if NETWORK.address_ok(address)]
        if not allowed or len(allowed) != len(addresses):
            raise NewConnectionError(self, f"{self.host} resolves to a refused address")  # type: ignore[arg-type]
        self._dns_host = allowed[0]
        return super()._new_conn()  # type: ignore[misc, no-any-return]


class _VettedHTTPSConnection(_Vetted, HTTPSConnection):
    pass


class _VettedHTTPConnection(_Vetted, HTTPConnection):
    pass


class _VettedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _VettedHTTPSConnection


class _VettedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _VettedHTTPConnection


class _VettedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "https": _VettedHTTPSPool,
            "http": _VettedHTTPPool,
        }


class _Refused(HTTPAdapter):
    def send(self, request: requests.PreparedRequest, *args: Any, **kwargs: Any) -> Any:
        raise requests.ConnectionError(f"{request.url!r}: scheme not allowed")


class PushSession(requests.Session):
    """A requests session for push services only (see the module docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.trust_env = False
        self.max_redirects = 0
        for scheme in ("https", "http"):
            allowed = scheme in NETWORK.schemes
            self.mount(f"{scheme}://", _VettedAdapter() if allowed else _Refused())

    def get_redirect_target(self, response: requests.Response) -> str | None:
        return None  # never follow: the 3xx itself is the answer
