"""A local fake push service and the browser on the other end of a subscription.

The service checks the VAPID signature (RFC 8292) and keeps what it accepted the way a
real one does (RFC 8030): one message per subscription and Topic, a newer one replacing
an undelivered older one. The browser decrypts (RFC 8291, aes128gcm) with its own code,
not pywebpush's. Everything listens on 127.0.0.1 only.
"""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF

from notifications import transport


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def hkdf(*, salt: bytes, ikm: bytes, info: bytes, length: int) -> bytes:
    return HKDF(algorithm=hashes.SHA256(), length=length, salt=salt, info=info).derive(ikm)


class Browser:
    """The receiving side of one subscription: its key pair and auth secret."""

    def __init__(self) -> None:
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.public = self.key.public_key().public_bytes(
            serialization.Encoding.X962, serialization.PublicFormat.UncompressedPoint
        )
        self.auth = os.urandom(16)

    @property
    def keys(self) -> dict[str, str]:
        return {"p256dh": b64(self.public), "auth": b64(self.auth)}

    def decrypt(self, body: bytes) -> dict:
        # RFC 8188 header: salt (16) | record size (4) | key id length (1) | key id
        salt, idlen = body[:16], body[20]
        sender = body[21 : 21 + idlen]
        ciphertext = body[21 + idlen :]
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        shared = self.key.exchange(ec.ECDH(), sender_key)
        # RFC 8291 §3.3-3.4
        ikm = hkdf(
            salt=self.auth, ikm=shared, info=b"WebPush: info\x00" + self.public + sender, length=32
        )
        cek = hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: aes128gcm\x00", length=16)
        nonce = hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: nonce\x00", length=12)
        record = AESGCM(cek).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
        assert record.endswith(b"\x02"), "a single, last record ends with the 0x02 delimiter"
        return json.loads(record[:-1])


@dataclass
class Received:
    path: str
    headers: dict[str, str]
    body: bytes


@dataclass
class FakePushService:
    """Answers each POST with `status(path)`; `hold(path)` makes it wait until released."""

    status: Callable[[str], int] = lambda path: 201
    received: list[Received] = field(default_factory=list)
    extra_headers: dict[str, str] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.lock = threading.Lock()
        self.arrived = threading.Condition(self.lock)
        self.held: dict[str, threading.Event] = {}
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                headers = {k.lower(): v for k, v in self.headers.items()}
                with outer.arrived:
                    outer.received.append(Received(self.path, headers, body))
                    outer.arrived.notify_all()
                gate = outer.held.get(self.path)
                if gate is not None:
                    gate.wait(30)
                code = outer.status(self.path)
                self.send_response(code)
                if 300 <= code < 400:
                    self.send_header("Location", outer.origin + "/internal/admin")
                for name, value in outer.extra_headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def endpoint(self, name: str) -> str:
        return f"{self.origin}/push/{name}"

    def hold(self, name: str) -> threading.Event:
        gate = self.held[f"/push/{name}"] = threading.Event()
        return gate

    def wait_for(self, count: int, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        with self.arrived:
            while len(self.received) < count:
                left = deadline - time.monotonic()
                assert left > 0, f"only {len(self.received)} of {count} pushes arrived"
                self.arrived.wait(left)

    def to(self, name: str) -> list[Received]:
        return [r for r in self.received if r.path == f"/push/{name}"]

    def shown(self, name: str) -> dict[str, Received]:
        """What the browser ends up with: one message per Topic (RFC 8030 §5.4)."""
        return {r.headers.get("topic", r.body.hex()): r for r in self.to(name)}

    def close(self) -> None:
        for gate in self.held.values():
            gate.set()
        self.server.shutdown()
        self.server.server_close()


LOOPBACK = transport.Network(schemes=("http", "https"), allow_loopback=True)


def verify_vapid(authorization: str, *, audience: str, public_key: str) -> dict:
    scheme, _, params = authorization.partition(" ")
    assert scheme == "vapid"
    fields = dict(part.strip().split("=", 1) for part in params.split(","))
    token, server_key = fields["t"], unb64(fields["k"])
    header_b64, claims_b64, signature_b64 = token.split(".")
    assert json.loads(unb64(header_b64)) == {"typ": "JWT", "alg": "ES256"}
    signature = unb64(signature_b64)
    der = encode_dss_signature(
        int.from_bytes(signature[:32], "big"), int.from_bytes(signature[32:], "big")
    )
    public = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), server_key)
    # Raises InvalidSignature if anything was tampered with.
    public.verify(der, f"{header_b64}.{claims_b64}".encode(), ec.ECDSA(hashes.SHA256()))
    claims = json.loads(unb64(claims_b64))
    assert claims["aud"] == audience
    assert time.time() < claims["exp"] <= time.time() + 24 * 3600
    assert b64(server_key) == public_key
    return claims
