"""Clinic notices: a publish tells every patient who has the routine prescribed, through
the durable queue, once, against the local fake push service."""

from __future__ import annotations

import pytest
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from clinic import services
from clinic.models import Membership, Prescription, Role
from clinic.notices import UPDATED_TITLE, appointment_reply_announce, routine_update_announce
from footing.errors import Conflict
from library.types import DraftItem
from notifications import vapid
from notifications.models import Delivery, Notice
from tests.clinic.conftest import World, make_user, member
from tests.notifications.conftest import run_worker, subscribe
from tests.notifications.fakes import FakePushService, verify_vapid


def publish(world: World, changelog: str = "Slower heel drops", **kwargs) -> None:
    """North publishes v2 of its own routine (the one its patients have prescribed)."""
    services.routine_publish(
        membership=Membership.objects.get(user=world.clinician),
        slug=world.own_routine.slug,
        changelog=changelog,
        **{
            "expected_version": 1,
            "expected_revision": 0,
            "items": [DraftItem(exercise="calf-raise", sets=3, reps=8)],
            **kwargs,
        },
    )


@pytest.fixture(autouse=True)
def prescribed_own_routine(world: World) -> None:
    Prescription.objects.filter(pk=world.prescription.pk).update(routine=world.own_routine)


def more_patients(world: World, count: int, prefix: str = "patient") -> list:
    patients = []
    for n in range(count):
        patient = make_user(f"{prefix}-{n}")
        member(patient, world.clinic, Role.PATIENT)
        Prescription.objects.create(
            clinic=world.clinic, patient=patient, routine=world.own_routine, days_per_week=3
        )
        patients.append(patient)
    return patients


def test_a_publish_queues_one_notice_per_prescribed_patient_and_each_is_delivered_once(
    world: World, push_service: FakePushService
) -> None:
    patients = [world.patient, *more_patients(world, 3)]
    browsers = {}
    for n, patient in enumerate(patients):
        _, browsers[f"p{n}"] = subscribe(patient, push_service, f"p{n}")
    _, browsers["p0-tablet"] = subscribe(world.patient, push_service, "p0-tablet")
    # Not told: a runner without the routine, and a patient whose prescription ended.
    subscribe(world.runner, push_service, "runner")
    ended = more_patients(world, 1, prefix="ended")[0]
    Prescription.objects.filter(patient=ended).update(active=False)
    subscribe(ended, push_service, "ended")

    publish(world)

    assert Notice.objects.count() == len(patients)
    assert DBTaskResult.objects.filter(status="READY").count() == len(browsers)
    assert push_service.received == []  # nothing is sent inside the clinician's request

    run_worker()
    run_worker()  # a second pass finds nothing left to send

    for name, browser in browsers.items():
        (received,) = push_service.to(name)
        assert browser.decrypt(received.body) == {
            "title": UPDATED_TITLE,
            "body": "Heel routine v2: Slower heel drops",
            "url": "/routines/north-heel-routine/",
            "tag": f"routine-{world.own_routine.pk}-v2",
        }
        assert received.headers["content-encoding"] == "aes128gcm"
        assert 0 < int(received.headers["ttl"]) <= 24 * 3600
        claims = verify_vapid(
            received.headers["authorization"],
            audience=push_service.origin,
            public_key=vapid.public_key(),
        )
        assert claims["sub"] == "mailto:physio@north.example"
    assert push_service.to("runner") == push_service.to("ended") == []
    assert set(Delivery.objects.values_list("status", flat=True)) == {"sent"}


def test_a_refused_publish_tells_nobody(world: World, push_service: FakePushService) -> None:
    subscribe(world.patient, push_service, "phone")

    with pytest.raises(Conflict):
        publish(world, expected_version=7)

    assert not Notice.objects.exists()
    assert not DBTaskResult.objects.exists()


def test_publishing_the_same_version_twice_is_one_notice(world: World, push_service) -> None:
    subscribe(world.patient, push_service, "phone")
    publish(world)

    world.own_routine.refresh_from_db()
    version = world.own_routine.current_version
    again = routine_update_announce(version=version, now=version.published_at)

    assert again == 0
    assert Notice.objects.count() == 1


def test_a_reply_tells_the_person_who_asked_without_the_answer_on_the_lock_screen(
    world: World, push_service: FakePushService
) -> None:
    _, browser = subscribe(world.patient, push_service, "phone")
    now = timezone.now()

    assert appointment_reply_announce(request=world.appointment, now=now)
    run_worker()

    (received,) = push_service.to("phone")
    message = browser.decrypt(received.body)
    assert message["title"] == "North Physio replied"
    assert message["url"] == "/book/"
    assert "Heel" not in message["body"]  # neither the request nor the answer
