"""Web Push against a fake push service in the test: it checks the VAPID signature
(RFC 8292) and decrypts the message (RFC 8291, aes128gcm) the way a browser would, with
its own code, not pywebpush's."""

from __future__ import annotations

import base64
import json
import os
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.core.management import call_command

from clinic import push, services
from clinic.models import Membership, Prescription, PushSubscription
from clinic.tasks import UPDATED_TITLE
from library.types import DraftItem
from tests.clinic.conftest import World
from tests.waiting import poll


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

    def decrypt(self, body: bytes) -> bytes:
        # RFC 8188 header: salt (16) | record size (4) | key id length (1) | key id
        salt, idlen = body[:16], body[20]
        sender = body[21 : 21 + idlen]
        ciphertext = body[21 + idlen :]
        sender_key = ec.EllipticCurvePublicKey.from_encoded_point(ec.SECP256R1(), sender)
        shared = self.key.exchange(ec.ECDH(), sender_key)
        # RFC 8291 §3.3-3.4
        ikm = hkdf(
            salt=self.auth,
            ikm=shared,
            info=b"WebPush: info\x00" + self.public + sender,
            length=32,
        )
        cek = hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: aes128gcm\x00", length=16)
        nonce = hkdf(salt=salt, ikm=ikm, info=b"Content-Encoding: nonce\x00", length=12)
        record = AESGCM(cek).decrypt(nonce, ciphertext, None).rstrip(b"\x00")
        assert record.endswith(b"\x02"), "a single, last record ends with the 0x02 delimiter"
        return record[:-1]


class FakePushService:
    def __init__(self, status: int = 201) -> None:
        self.received: list[tuple[dict[str, str], bytes, str]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers["Content-Length"]))
                outer.received.append(
                    ({k.lower(): v for k, v in self.headers.items()}, body, self.path)
                )
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: object) -> None:
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server.server_port}"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def push_service() -> Iterator[FakePushService]:
    service = FakePushService()
    yield service
    service.close()


@pytest.fixture
def vapid(settings: pytest.FixtureRequest) -> str:
    private, _ = push.keys_generate()
    settings.VAPID_PRIVATE_KEY = private
    settings.VAPID_SUBJECT = "mailto:physio@north.example"
    return private


def subscribe(world: World, browser: Browser, endpoint: str) -> PushSubscription:
    # Created directly: the service refuses http endpoints, and the fake service is http.
    return PushSubscription.objects.create(
        user=world.patient, endpoint=endpoint, p256dh=b64(browser.public), auth=b64(browser.auth)
    )


def verify_vapid(authorization: str, *, audience: str) -> dict:
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
    assert b64(server_key) == push.public_key()
    return claims


def publish(world: World, django_capture_on_commit_callbacks) -> None:
    """North publishes v2 of its own routine, which its patient has prescribed."""
    Prescription.objects.filter(pk=world.prescription.pk).update(routine=world.own_routine)
    with django_capture_on_commit_callbacks(execute=True):
        services.routine_publish(
            membership=Membership.objects.get(user=world.clinician),
            slug=world.own_routine.slug,
            changelog="Slower heel drops",
            expected_version=1,
            expected_revision=0,
            items=[DraftItem(exercise="calf-raise", sets=3, reps=8)],
        )


def test_publishing_notifies_subscribed_patients(
    world: World, push_service: FakePushService, vapid: str, django_capture_on_commit_callbacks
) -> None:
    browser = Browser()
    subscription = subscribe(world, browser, f"{push_service.origin}/push/patient-phone")

    publish(world, django_capture_on_commit_callbacks)

    assert len(push_service.received) == 1
    headers, body, path = push_service.received[0]
    assert path == "/push/patient-phone"
    assert headers["content-encoding"] == "aes128gcm"
    assert int(headers["ttl"]) == push.TTL_SECONDS
    claims = verify_vapid(headers["authorization"], audience=push_service.origin)
    assert claims["sub"] == "mailto:physio@north.example"
    message = json.loads(browser.decrypt(body))
    assert message == {
        "title": UPDATED_TITLE,
        "body": "Heel routine v2: Slower heel drops",
        "url": "/routines/north-heel-routine/",
        "tag": "routine-north-heel-routine",
    }
    subscription.refresh_from_db()
    assert subscription.last_sent_at is not None


def test_only_patients_with_the_routine_prescribed_are_told(
    world: World, push_service: FakePushService, vapid: str, django_capture_on_commit_callbacks
) -> None:
    subscribe(world, Browser(), f"{push_service.origin}/push/patient")
    PushSubscription.objects.create(
        user=world.runner, endpoint=f"{push_service.origin}/push/runner", p256dh="x", auth="y"
    )
    Prescription.objects.filter(pk=world.prescription.pk).update(active=False)

    publish(world, django_capture_on_commit_callbacks)

    assert push_service.received == []


def test_a_gone_endpoint_is_forgotten(
    world: World, vapid: str, django_capture_on_commit_callbacks
) -> None:
    gone = FakePushService(status=410)
    try:
        subscribe(world, Browser(), f"{gone.origin}/push/old-phone")
        publish(world, django_capture_on_commit_callbacks)
    finally:
        gone.close()
    assert len(gone.received) == 1
    assert not PushSubscription.objects.exists()


def test_without_a_key_push_is_off(world: World, settings) -> None:
    settings.VAPID_PRIVATE_KEY = ""
    assert push.public_key() == ""
    delivery = push.send(endpoint="https://push.example/x", p256dh="x", auth="y", message={})
    assert not delivery.ok


def test_vapid_keys_command_prints_a_usable_key(settings) -> None:
    from io import StringIO

    out = StringIO()
    call_command("vapid_keys", stdout=out)
    line = out.getvalue().splitlines()[0]
    name, _, value = line.partition("=")
    assert name == "VAPID_PRIVATE_KEY" and len(unb64(value)) == 32
    settings.VAPID_PRIVATE_KEY = value
    assert len(unb64(push.public_key())) == 65


@pytest.mark.django_db(transaction=True)
def test_the_thread_backend_runs_after_commit_off_the_request(routine_content) -> None:
    from django.db import transaction

    from clinic.tasks import routine_updated_notify
    from clinic.tasks_backend import ThreadBackend

    backend = ThreadBackend("threads", {})
    with transaction.atomic():
        result = backend.enqueue(
            routine_updated_notify, (), {"version_id": routine_content.current_version_id}
        )
        # Nothing runs before the commit: the task waits as a commit hook.
        assert result.status == "READY"
        assert len(transaction.get_connection().run_on_commit) == 1
    poll(lambda: result.status == "SUCCESSFUL", "the task ran after the commit", timeout=5)
    assert result.worker_ids and result.return_value == 0  # nobody subscribed
