"""Guessing is throttled everywhere, fairly: log-ins (pages, admin, any `authenticate`),
password reset and invitation codes; per address, read through the configured proxies."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from axes.backends import AxesStandaloneBackend
from axes.models import AccessAttempt
from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User
from django.core.cache import caches
from django.db import connection
from django.test import Client, RequestFactory
from django.utils import timezone

from accounts.throttle import ADDRESS_LIMIT, RATES
from clinic.models import Clinic, Invitation
from footing.http import client_address
from tests.journal.conftest import make_runner

PASSWORD = "a-long-password-1"
LIMIT = 5


def login(username: str, password: str, address: str = "10.0.0.1", **headers: str):
    return Client().post(
        "/accounts/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=address,
        headers=headers,
    )


def logged_in(response) -> bool:
    return response.status_code == 302 and "_auth_user_id" in response.client.session


# ---- log-ins ---------------------------------------------------------------------------
@pytest.mark.django_db
def test_five_wrong_passwords_lock_that_account_from_that_address_with_a_clear_message() -> None:
    make_runner("ann@example.org")
    for _ in range(LIMIT - 1):
        assert login("ann@example.org", "wrong").status_code == 200
    fifth = login("ann@example.org", "wrong")
    assert fifth.status_code == 429

    response = login("ANN@example.org", PASSWORD)

    assert response.status_code == 429 and not logged_in(response)
    html = response.content.decode()
    assert "Too many wrong passwords for this account" in html
    assert "15 minute" in html


@pytest.mark.django_db
def test_a_guesser_elsewhere_cannot_lock_the_clinician_out() -> None:
    make_runner("dr@clinic.example")
    for _ in range(LIMIT * 3):
        login("dr@clinic.example", "wrong", address="203.0.113.66")

    assert logged_in(login("dr@clinic.example", PASSWORD, address="198.51.100.7"))


@pytest.mark.django_db
def test_the_lock_lifts_after_the_cool_off_and_tries_meanwhile_do_not_extend_it() -> None:
    make_runner("ann@example.org")
    for _ in range(LIMIT):
        login("ann@example.org", "wrong")
    for _ in range(3):  # knocking on a locked door
        assert login("ann@example.org", "wrong").status_code == 429
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=16))

    assert logged_in(login("ann@example.org", PASSWORD))


@pytest.mark.django_db
def test_the_wait_counts_down_from_the_last_failure() -> None:
    make_runner("ann@example.org")
    for _ in range(LIMIT):
        login("ann@example.org", "wrong")
    AccessAttempt.objects.update(attempt_time=timezone.now() - timedelta(minutes=10))

    html = login("ann@example.org", PASSWORD).content.decode()

    assert "Wait 5 minute" in html


@pytest.mark.django_db
def test_one_address_guessing_many_accounts_is_stopped_and_others_are_not() -> None:
    for n in range(ADDRESS_LIMIT):
        login(f"user{n}@example.org", "wrong", address="203.0.113.9")
    make_runner("ann@example.org")

    blocked = login("ann@example.org", PASSWORD, address="203.0.113.9")

    assert blocked.status_code == 429
    assert "Too many failed log-ins from this network" in blocked.content.decode()
    assert logged_in(login("ann@example.org", PASSWORD, address="198.51.100.1"))


@pytest.mark.django_db
def test_a_good_login_forgives_the_accounts_failures_and_gives_the_address_its_try_back() -> None:
    make_runner("ann@example.org")
    for _ in range(LIMIT - 1):
        login("ann@example.org", "wrong")

    assert logged_in(login("ann@example.org", PASSWORD))

    assert not AccessAttempt.objects.filter(username="ann@example.org").exists()
    address_count = AccessAttempt.objects.get(username="").failures_since_start
    assert address_count == LIMIT - 1


@pytest.mark.django_db
def test_the_admin_login_is_throttled_too() -> None:
    User.objects.create_superuser("root", password=PASSWORD)
    client = Client()
    for _ in range(LIMIT):
        client.post("/admin/login/", {"username": "root", "password": "wrong"})

    response = client.post("/admin/login/?next=/admin/", {"username": "root", "password": PASSWORD})

    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_any_authenticate_call_is_counted_so_an_api_login_would_be_too() -> None:
    from django.contrib.auth import authenticate

    make_runner("ann@example.org")
    request = RequestFactory().post("/api/v1/anything", REMOTE_ADDR="10.9.9.9")
    for _ in range(LIMIT):
        assert authenticate(request, username="ann@example.org", password="wrong") is None
    request = RequestFactory().post("/api/v1/anything", REMOTE_ADDR="10.9.9.9")
    assert authenticate(request, username="ann@example.org", password=PASSWORD) is None


@pytest.fixture
def throttle_counts_forgotten():
    """Transactional tests leave the cache table as it is (flush knows only models)."""
    yield
    caches["throttle"].clear()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("throttle_counts_forgotten")
def test_a_parallel_burst_gets_no_more_password_checks_than_the_limit(monkeypatch) -> None:
    """Sixteen guesses reach the throttle at the same instant (a barrier in front of it):
    counting after the password check would let all of them through; counting first lets
    exactly five be checked."""
    make_runner("ann@example.org")
    burst = 16
    at_the_door = threading.Barrier(burst)
    checked: list[int] = []
    lock = threading.Lock()
    throttle, password_check = AxesStandaloneBackend.authenticate, ModelBackend.authenticate

    def arrive_together(self, request, *args, **kwargs):
        at_the_door.wait()
        return throttle(self, request, *args, **kwargs)

    def counted(self, request, *args, **kwargs):
        with lock:
            checked.append(1)
        return password_check(self, request, *args, **kwargs)

    monkeypatch.setattr(AxesStandaloneBackend, "authenticate", arrive_together)
    monkeypatch.setattr(ModelBackend, "authenticate", counted)
    statuses: list[int] = []

    def guess(n: int) -> None:
        try:
            statuses.append(login("ann@example.org", f"guess-{n}").status_code)
        finally:
            connection.close()

    threads = [threading.Thread(target=guess, args=(n,)) for n in range(burst)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert len(checked) == LIMIT
    # The eleven never checked are told to wait; the five checked were wrong, and each says
    # "wrong password" or, once the count is full, "wait" too.
    assert len(statuses) == burst and set(statuses) <= {200, 429}
    assert statuses.count(429) >= burst - LIMIT
    assert AccessAttempt.objects.get(username="ann@example.org").failures_since_start == LIMIT


# ---- whose address: the proxy count ----------------------------------------------------
@pytest.mark.parametrize(
    ("proxies", "forwarded", "remote", "client"),
    [
        (0, "", "203.0.113.5", "203.0.113.5"),
        (0, "6.6.6.6", "203.0.113.5", "203.0.113.5"),  # nobody in front: a header is a lie
        (1, "198.51.100.2", "10.0.0.2", "198.51.100.2"),
        (1, "6.6.6.6, 198.51.100.2", "10.0.0.2", "198.51.100.2"),  # the forged part is ignored
        (2, "6.6.6.6, 198.51.100.2, 10.0.0.3", "10.0.0.2", "198.51.100.2"),
        (2, "198.51.100.2", "10.0.0.2", "10.0.0.2"),  # shorter than the chain: not via it
        (1, "not-an-address", "10.0.0.2", "10.0.0.2"),
        (1, "2001:db8::1", "10.0.0.2", "2001:db8::1"),
    ],
)
def test_the_client_address_is_read_through_the_configured_proxies(
    settings, proxies: int, forwarded: str, remote: str, client: str
) -> None:
    settings.PROXY_COUNT = proxies
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    request = RequestFactory().get("/", REMOTE_ADDR=remote, headers=headers)
    assert client_address(request) == client


@pytest.mark.django_db
def test_behind_one_proxy_a_forged_header_gets_no_fresh_counter(settings) -> None:
    settings.PROXY_COUNT = 1
    make_runner("ann@example.org")
    for n in range(LIMIT):
        forged = f"6.6.6.{n}, 198.51.100.2"
        login("ann@example.org", "wrong", address="10.0.0.2", **{"X-Forwarded-For": forged})

    response = login(
        "ann@example.org",
        PASSWORD,
        address="10.0.0.2",
        **{"X-Forwarded-For": "7.7.7.7, 198.51.100.2"},
    )

    assert response.status_code == 429
    # Another phone behind the same proxy has its own counter.
    other = login(
        "ann@example.org", PASSWORD, address="10.0.0.2", **{"X-Forwarded-For": "198.51.100.3"}
    )
    assert logged_in(other)


# ---- password reset and invitation codes -------------------------------------------------
def _per_hour(action: str) -> int:
    return int(RATES[action].split("/")[0])


@pytest.mark.django_db
def test_password_reset_is_limited_per_address(mailoutbox) -> None:
    make_runner("ann@example.org")
    tries = _per_hour("password-reset")
    for _ in range(tries):
        response = Client().post(
            "/accounts/password-reset/", {"email": "ann@example.org"}, REMOTE_ADDR="10.1.1.1"
        )
        assert response.status_code == 302

    refused = Client().post(
        "/accounts/password-reset/", {"email": "ann@example.org"}, REMOTE_ADDR="10.1.1.1"
    )

    assert refused.status_code == 429
    assert "Too many tries from this network" in refused.content.decode()
    assert len(mailoutbox) == tries
    elsewhere = Client().post(
        "/accounts/password-reset/", {"email": "ann@example.org"}, REMOTE_ADDR="10.2.2.2"
    )
    assert elsewhere.status_code == 302


@pytest.mark.django_db
def test_invitation_codes_are_limited_per_address_on_links_and_at_sign_up() -> None:
    clinic = Clinic.objects.create(slug="north", name="North Physio")
    Invitation.objects.create(
        clinic=clinic, code="REAL2345", expires_at=timezone.now() + timedelta(days=3)
    )
    for n in range(_per_hour("invitation")):
        guess = Client().get(f"/join/GUESS{n:03d}/", REMOTE_ADDR="10.3.3.3")
        assert guess.status_code == 410

    link = Client().get("/join/REAL2345/", REMOTE_ADDR="10.3.3.3")
    signup = Client().post(
        "/accounts/signup/",
        {"username": "x@example.org", "password": PASSWORD, "invitation": "REAL2345"},
        REMOTE_ADDR="10.3.3.3",
    )

    assert link.status_code == 429 and "Too many tries" in link.content.decode()
    assert signup.status_code == 429 and not User.objects.filter(username="x@example.org")
    other = Client().get("/join/REAL2345/", REMOTE_ADDR="10.4.4.4")
    assert other.status_code == 200 and "Join North Physio" in other.content.decode()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("throttle_counts_forgotten")
def test_the_shared_count_loses_no_increment_under_a_parallel_burst() -> None:
    """The rate limits count in the database cache: its increment must be atomic."""
    cache = caches["throttle"]
    cache.set("burst", 0, 60)
    start = threading.Barrier(8)

    def add(_: int) -> None:
        try:
            start.wait()
            for _ in range(10):
                cache.incr("burst")
        finally:
            connection.close()

    threads = [threading.Thread(target=add, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert cache.get("burst") == 80
