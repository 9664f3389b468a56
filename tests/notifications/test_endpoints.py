"""Which push subscriptions the server accepts: real push services only (issue 14)."""

from __future__ import annotations

import base64
import os

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec
from django.contrib.auth.models import User

from footing.errors import Conflict, Invalid
from notifications import endpoints, services
from notifications.endpoints import address_public, endpoint_check, keys_check
from notifications.models import PushSubscription
from tests.notifications.fakes import Browser, b64

PUBLIC = "142.250.74.106"


def resolving_to(*addresses: str):
    return lambda host, port: list(addresses)


# (endpoint, what its host resolves to)
REFUSED = [
    ("http://fcm.googleapis.com/fcm/send/abc", [PUBLIC]),
    ("https://127.0.0.1:8443/push", ["127.0.0.1"]),
    ("https://10.0.0.1/push", ["10.0.0.1"]),
    ("https://169.254.169.254/latest/meta-data/", ["169.254.169.254"]),
    ("https://[::1]:8443/push", ["::1"]),
    ("https://[::ffff:127.0.0.1]/push", ["::ffff:127.0.0.1"]),
    ("https://2130706433/push", ["127.0.0.1"]),
    ("https://0x7f000001/push", ["127.0.0.1"]),
    ("https://localhost/push", ["127.0.0.1"]),
    ("https://fcm.googleapis.com.attacker.example/x", [PUBLIC]),
    ("https://attackerfcm.googleapis.com/x", [PUBLIC]),
    ("https://notify.windows.com/w/?token=x", [PUBLIC]),
    ("https://fcm.googleapis.com:8443/fcm/send/abc", [PUBLIC]),
    ("https://user:pass@fcm.googleapis.com/fcm/send/abc", [PUBLIC]),
    # An allowed name whose DNS points inward (or partly inward) is refused too.
    ("https://fcm.googleapis.com/fcm/send/abc", ["10.1.2.3"]),
    ("https://fcm.googleapis.com/fcm/send/abc", [PUBLIC, "192.168.1.10"]),
    ("https://wns2-par02p.notify.windows.com/w/?token=x", ["100.64.0.1"]),
    ("https://web.push.apple.com/abc", ["fd00::1"]),
    ("https://web.push.apple.com/abc", ["fe80::1%eth0"]),
    ("https://web.push.apple.com/abc", ["0.0.0.0"]),
    ("https://web.push.apple.com/abc", ["240.0.0.1"]),
    ("https://web.push.apple.com/abc", ["224.0.0.1"]),
    ("https://web.push.apple.com/abc", ["2002:7f00:1::"]),  # 6to4 around 127.0.0.1
    ("https://web.push.apple.com/abc", []),
    ("https:///no-host", [PUBLIC]),
    ("javascript:alert(1)", [PUBLIC]),
    ("https://[not-an-ip/x", [PUBLIC]),
]
ACCEPTED = [
    "https://fcm.googleapis.com/fcm/send/dGVzdA:APA91bHun4MxP5egoKMwt2KZFBaFUH",
    "https://updates.push.services.mozilla.com/wpush/v2/gAAAAABk1-abc",
    "https://web.push.apple.com/QGuQyavXutnMH7abc",
    "https://api.push.apple.com/3/device/abc",
    "https://wns2-par02p.notify.windows.com/w/?token=BQYAAAB",
    "https://FCM.googleapis.com./fcm/send/abc",
]


@pytest.mark.parametrize(("endpoint", "addresses"), REFUSED)
def test_internal_and_foreign_endpoints_are_refused(endpoint: str, addresses: list[str]) -> None:
    with pytest.raises(Invalid) as refused:
        endpoint_check(endpoint, resolver=resolving_to(*addresses))
    assert refused.value.field == "endpoint"


@pytest.mark.parametrize("endpoint", ACCEPTED)
def test_the_real_push_services_are_accepted(endpoint: str) -> None:
    assert endpoint_check(endpoint, resolver=resolving_to(PUBLIC, "2607:f8b0:4004::1")) == endpoint


def test_the_allow_list_is_a_setting(settings) -> None:
    settings.PUSH_SERVICE_HOSTS = ["push.clinic.example"]
    endpoint_check("https://push.clinic.example/x", resolver=resolving_to(PUBLIC))
    with pytest.raises(Invalid):
        endpoint_check("https://fcm.googleapis.com/x", resolver=resolving_to(PUBLIC))


def test_a_name_that_cannot_be_looked_up_is_refused_with_a_reason() -> None:
    def broken(host: str, port: int) -> list[str]:
        raise OSError("no DNS")

    with pytest.raises(Invalid, match="looked up"):
        endpoint_check(ACCEPTED[0], resolver=broken)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        (PUBLIC, True),
        ("2607:f8b0:4004::1", True),
        ("127.0.0.2", False),
        ("172.16.0.1", False),
        ("192.0.2.1", False),  # documentation range
        ("198.18.0.1", False),  # benchmarking
        ("::", False),
        ("::ffff:10.0.0.1", False),
        ("2001:0:4136:e378:8000:63bf:f5ff:fffe", False),  # Teredo around 10.0.0.1
        ("ff02::1", False),
    ],
)
def test_public_addresses(address: str, public: bool) -> None:
    assert address_public(address) is public


def _point(compressed: bool = False) -> bytes:
    key = ec.generate_private_key(ec.SECP256R1()).public_key()
    form = (
        serialization.PublicFormat.CompressedPoint
        if compressed
        else serialization.PublicFormat.UncompressedPoint
    )
    return key.public_bytes(serialization.Encoding.X962, form)


def test_browser_keys_are_accepted() -> None:
    keys_check(**Browser().keys)
    padded = base64.urlsafe_b64encode(_point()).decode()  # with "=" padding
    keys_check(p256dh=padded, auth=b64(os.urandom(16)))


@pytest.mark.parametrize(
    ("p256dh", "auth", "field"),
    [
        ("a", b64(os.urandom(16)), "keys.p256dh"),
        (b64(_point()[:64]), b64(os.urandom(16)), "keys.p256dh"),
        (b64(b"\x05" + _point()[1:]), b64(os.urandom(16)), "keys.p256dh"),
        (b64(b"\x04" + bytes(64)), b64(os.urandom(16)), "keys.p256dh"),  # not on the curve
        (b64(_point(compressed=True)), b64(os.urandom(16)), "keys.p256dh"),
        ("+" + b64(_point())[1:], b64(os.urandom(16)), "keys.p256dh"),  # standard base64
        (b64(_point()), "b", "keys.auth"),
        (b64(_point()), b64(os.urandom(15)), "keys.auth"),
        (b64(_point()), b64(os.urandom(17)), "keys.auth"),
        (b64(_point()), "ab/cdefghijklmnopqrstu", "keys.auth"),  # standard base64
    ],
    # Named, not shown: the random bytes would give every process (pytest-xdist) other ids.
    ids=[
        "p256dh-too-short",
        "p256dh-64-bytes",
        "p256dh-bad-prefix",
        "p256dh-off-the-curve",
        "p256dh-compressed",
        "p256dh-standard-base64",
        "auth-too-short",
        "auth-15-bytes",
        "auth-17-bytes",
        "auth-standard-base64",
    ],
)
def test_bad_keys_are_refused(p256dh: str, auth: str, field: str) -> None:
    with pytest.raises(Invalid) as refused:
        keys_check(p256dh=p256dh, auth=auth)
    assert refused.value.field == field


@pytest.fixture
def public_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(endpoints, "resolve", resolving_to(PUBLIC))


@pytest.mark.django_db
def test_an_endpoint_is_never_moved_to_another_account(public_dns: None) -> None:
    ann, bob = User.objects.create_user("ann"), User.objects.create_user("bob")
    services.push_subscribe(user=ann, endpoint=ACCEPTED[0], **Browser().keys)

    with pytest.raises(Conflict) as taken:
        services.push_subscribe(user=bob, endpoint=ACCEPTED[0], **Browser().keys)

    assert taken.value.field == "endpoint"
    assert PushSubscription.objects.get().user == ann


@pytest.mark.django_db
def test_subscribing_again_updates_the_keys(public_dns: None) -> None:
    ann = User.objects.create_user("ann")
    services.push_subscribe(user=ann, endpoint=ACCEPTED[0], **Browser().keys)
    fresh = Browser().keys

    services.push_subscribe(user=ann, endpoint=ACCEPTED[0], **fresh)

    assert PushSubscription.objects.get().p256dh == fresh["p256dh"]


@pytest.mark.django_db
def test_a_person_has_at_most_the_cap_and_the_oldest_goes(public_dns: None, settings) -> None:
    settings.PUSH_MAX_SUBSCRIPTIONS_PER_PERSON = 3
    ann = User.objects.create_user("ann")
    for n in range(5):
        services.push_subscribe(
            user=ann, endpoint=f"https://fcm.googleapis.com/fcm/send/{n}", **Browser().keys
        )

    kept = sorted(PushSubscription.objects.values_list("endpoint", flat=True))
    assert kept == [f"https://fcm.googleapis.com/fcm/send/{n}" for n in (2, 3, 4)]


@pytest.mark.django_db
def test_refused_subscriptions_store_nothing(public_dns: None) -> None:
    ann = User.objects.create_user("ann")
    for endpoint, _ in REFUSED[:5]:
        with pytest.raises(Invalid):
            services.push_subscribe(user=ann, endpoint=endpoint, **Browser().keys)
    with pytest.raises(Invalid):
        services.push_subscribe(user=ann, endpoint=ACCEPTED[0], p256dh="a", auth="b")
    assert not PushSubscription.objects.exists()
