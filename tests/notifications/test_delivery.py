"""Delivering notices: each browser on its own, retried on 5xx and timeouts with backoff,
dropped on 404/410, never sent twice."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from notifications import delivery
from notifications.models import Delivery, DeliveryStatus, Kind, Notice, PushSubscription
from notifications.services import Announcement, notices_send
from notifications.tasks import delivery_send
from tests.notifications.conftest import run_worker, subscribe

pytestmark = pytest.mark.django_db


@pytest.fixture
def person() -> User:
    return User.objects.create_user("ann")


def tell(user: User, key: str = "checkin-2026-12-02", ttl: timedelta = timedelta(hours=2)):
    return notices_send(
        announcements=[
            Announcement(
                user_id=user.pk,
                kind=Kind.CHECKIN_REMINDER,
                key=key,
                title="Good morning",
                body="How were your first steps?",
                url="/checkin/",
                ttl=ttl,
            )
        ],
        now=timezone.now(),
    )


def test_one_bad_subscription_never_stops_the_others(person: User, push_service) -> None:
    statuses = {"/push/broken": 500, "/push/gone": 410, "/push/refused": 400}
    push_service.status = lambda path: statuses.get(path, 201)
    subscribe(person, push_service, "good-1")
    PushSubscription.objects.create(  # stored before keys were checked: unusable
        user=person, endpoint=push_service.endpoint("garbage"), p256dh="a", auth="b"
    )
    for name in ("broken", "gone", "refused"):
        subscribe(person, push_service, name)
    subscribe(person, push_service, "good-2")
    tell(person)

    run_worker()

    assert len(push_service.to("good-1")) == len(push_service.to("good-2")) == 1
    assert push_service.to("garbage") == []  # could not even be encrypted: not sent
    by_name = {d.subscription.endpoint.rsplit("/", 1)[1]: d for d in Delivery.objects.all()}
    assert by_name["good-1"].status == by_name["good-2"].status == DeliveryStatus.SENT
    assert by_name["garbage"].status == DeliveryStatus.FAILED
    assert by_name["refused"].status == DeliveryStatus.FAILED  # a 4xx is not retried
    assert by_name["broken"].status == DeliveryStatus.PENDING  # a 5xx is, later
    assert "gone" not in by_name  # 410: the subscription is forgotten
    assert not PushSubscription.objects.filter(endpoint=push_service.endpoint("gone")).exists()


def test_a_gone_endpoint_is_forgotten(person: User, push_service) -> None:
    push_service.status = lambda path: 410
    subscribe(person, push_service, "old-phone")
    tell(person)

    run_worker()

    assert len(push_service.to("old-phone")) == 1
    assert not PushSubscription.objects.exists()


def test_a_5xx_is_retried_with_backoff_then_delivered_once(person: User, push_service) -> None:
    answers = iter([503, 502, 201])
    push_service.status = lambda path: next(answers)
    subscribe(person, push_service, "phone")
    tell(person)

    run_worker()
    (waiting,) = DBTaskResult.objects.filter(status="READY")
    first = Delivery.objects.get()
    assert first.status == DeliveryStatus.PENDING and first.attempts == 1
    assert waiting.run_after - first.next_attempt_at == timedelta(0)
    assert timedelta(seconds=25) < first.next_attempt_at - timezone.now() <= delivery.FIRST_RETRY
    run_worker()  # not yet due: nothing happens
    assert len(push_service.received) == 1

    run_worker(later=True)
    second = Delivery.objects.get()
    assert second.attempts == 2 and second.status == DeliveryStatus.PENDING
    assert second.next_attempt_at - timezone.now() > timedelta(minutes=1)  # backing off

    run_worker(later=True)
    run_worker(later=True)

    assert len(push_service.received) == 3
    done = Delivery.objects.get()
    assert (done.status, done.attempts, done.last_status) == (DeliveryStatus.SENT, 3, 201)
    # The three tries share one Topic: a push service keeps one of them at most.
    assert len(push_service.shown("phone")) == 1


def test_retry_after_is_honoured(person: User, push_service) -> None:
    push_service.status = lambda path: 429
    push_service.extra_headers = {"Retry-After": "600"}
    subscribe(person, push_service, "phone")
    tell(person)

    run_worker()

    waiting = Delivery.objects.get()
    assert waiting.next_attempt_at - timezone.now() > timedelta(minutes=9)


def test_retries_stop_when_the_news_is_stale(person: User, push_service) -> None:
    push_service.status = lambda path: 500
    subscribe(person, push_service, "phone")
    tell(person, ttl=timedelta(minutes=1))  # the first backoff (30 s) fits, the second not

    for _ in range(4):
        run_worker(later=True)

    assert Delivery.objects.get().status == DeliveryStatus.FAILED
    assert len(push_service.received) == 2
    assert not DBTaskResult.objects.filter(status="READY").exists()


def test_no_answer_is_retried(person: User, push_service) -> None:
    subscribe(person, push_service, "phone")
    PushSubscription.objects.update(endpoint="http://127.0.0.1:9/push/nobody-listens")
    tell(person)

    run_worker()

    assert Delivery.objects.get().status == DeliveryStatus.PENDING


def test_a_delivery_is_never_sent_twice(person: User, push_service) -> None:
    subscribe(person, push_service, "phone")
    tell(person)
    (sending,) = Delivery.objects.all()

    run_worker()
    delivery_send.call(delivery_id=sending.pk)  # a stray second task for the same delivery

    assert len(push_service.received) == 1


def test_telling_twice_about_the_same_thing_is_one_notice(person: User, push_service) -> None:
    subscribe(person, push_service, "phone")
    tell(person)
    tell(person)

    run_worker()

    assert Notice.objects.count() == 1
    assert len(push_service.received) == 1


def test_people_without_notifications_get_no_notice(person: User, push_service) -> None:
    assert tell(person) == []
    assert not Notice.objects.exists()
