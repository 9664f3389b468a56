"""The push client: no redirects followed, no connection to a refused address, no proxy."""

from __future__ import annotations

from datetime import timedelta
from unittest import mock

import pytest
import requests
from urllib3.util import connection

from notifications import push, transport
from notifications.transport import Network, PushSession
from tests.notifications.fakes import Browser, FakePushService

MESSAGE = push.Message(title="t", body="b", url="/", tag="k")


def send(endpoint: str, browser: Browser | None = None) -> push.Answer:
    keys = (browser or Browser()).keys
    return push.send(endpoint=endpoint, message=MESSAGE, key="k", ttl=timedelta(minutes=5), **keys)


def test_a_redirect_is_not_followed(push_service: FakePushService) -> None:
    push_service.status = lambda path: 307 if path.startswith("/push/") else 201

    answer = send(push_service.endpoint("phone"))

    assert answer.status == 307 and not answer.accepted and not answer.transient
    assert [r.path for r in push_service.received] == ["/push/phone"]  # not /internal/admin


def test_the_session_itself_never_follows_redirects(push_service: FakePushService) -> None:
    push_service.status = lambda path: 308
    response = PushSession().post(push_service.endpoint("x"), data=b"", timeout=5)
    assert response.status_code == 308 and response.history == []
    assert len(push_service.received) == 1


def test_an_allowed_name_resolving_inward_is_never_connected_to(
    monkeypatch: pytest.MonkeyPatch, vapid_key: str
) -> None:
    inward = Network(resolver=lambda host, port: ["127.0.0.1"])
    monkeypatch.setattr(transport, "NETWORK", inward)
    with mock.patch.object(connection, "create_connection") as connect:
        answer = send("https://fcm.googleapis.com/fcm/send/abc")
    connect.assert_not_called()
    assert answer.status is None  # no answer: refused before any packet was sent


def test_production_refuses_plain_http_and_loopback(
    push_service: FakePushService, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(transport, "NETWORK", Network())
    with pytest.raises(requests.ConnectionError):
        PushSession().post(push_service.endpoint("x"), data=b"", timeout=5)
    assert push_service.received == []


def test_proxy_variables_are_ignored(
    push_service: FakePushService, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A proxy would connect on the server's behalf to an address nobody checked.
    monkeypatch.setenv("HTTP_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("HTTPS_PROXY", "http://127.0.0.1:9")
    monkeypatch.setenv("ALL_PROXY", "http://127.0.0.1:9")

    assert send(push_service.endpoint("phone")).accepted


def test_without_a_key_nothing_is_sent(push_service: FakePushService, settings) -> None:
    settings.VAPID_PRIVATE_KEY = ""
    assert send(push_service.endpoint("phone")).status is None
    assert push_service.received == []
