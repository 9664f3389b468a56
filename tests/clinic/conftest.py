"""A small world for the clinic's tests: two clinics, their people, one library routine
and each clinic's own copy of it."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from clinic import services
from clinic.models import AppointmentRequest, Clinic, Invitation, Membership, Prescription, Role
from journal.models import CheckIn
from journal.services import Answers, checkin_record
from library.models import Routine
from tests.factories import exercise_data, load, routine_data, write_content
from tests.matrix import shared_world
from tests.notifications.conftest import push_service, vapid_key  # noqa: F401  (fixtures)


@dataclass
class World:
    clinic: Clinic
    other_clinic: Clinic
    clinician: User
    other_clinician: User
    patient: User
    runner: User
    routine: Routine  # the library's
    own_routine: Routine  # North's own copy of it
    other_routine: Routine  # South's own copy of it
    prescription: Prescription
    invitation: Invitation
    appointment: AppointmentRequest

    def user(self, role: str) -> User | None:
        return None if role == "anonymous" else getattr(self, role)


def make_user(username: str) -> User:
    return User.objects.create_user(username, password="a long pass phrase")


def member(user: User, clinic: Clinic, role: str) -> Membership:
    return Membership.objects.create(user=user, clinic=clinic, role=role)


def checkin(user: User, day: date, pain: int, **flags: bool) -> CheckIn:
    """A morning check-in through journal's own service, as the app writes one."""
    answered = datetime.combine(day, datetime.min.time(), tzinfo=UTC) + timedelta(hours=7)
    recorded, _ = checkin_record(
        user=user,
        client_id=uuid.uuid4(),
        answers=Answers(
            date=day,
            first_step_pain=pain,
            flags=frozenset(name for name, ticked in flags.items() if ticked),
            answered_at=answered,
        ),
        now=max(answered, timezone.now()),
    )
    return recorded


def load_routine_content(folder: Path) -> Routine:
    root = write_content(
        folder,
        exercises=[
            exercise_data("calf-raise"),
            exercise_data("arch-lift", dose={"sets": 2, "hold_seconds": 5, "rest_seconds": 30}),
            exercise_data("bike", dose={"sets": 1, "minutes": 20}),
        ],
        routines=[
            routine_data(items=[{"exercise": "calf-raise"}, {"exercise": "arch-lift"}]),
        ],
    )
    load(root)
    return Routine.objects.select_related("current_version").get(slug="heel-routine")


@pytest.fixture
def routine_content(tmp_path: Path) -> Routine:
    return load_routine_content(tmp_path / "content")


@pytest.fixture
def world(db: None, routine_content: Routine) -> World:
    return build_world(routine_content)


@pytest.fixture(scope="module")
def matrix_world(
    django_db_setup: None, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[World]:
    """The same world, built once for a module of read-mostly tests (tests/matrix.py)."""
    folder = tmp_path_factory.mktemp("content")
    with shared_world(django_db_blocker, lambda: build_world(load_routine_content(folder))) as w:
        yield w


def build_world(routine_content: Routine) -> World:
    clinic = Clinic.objects.create(slug="north", name="North Physio")
    other = Clinic.objects.create(slug="south", name="South Sports")
    clinician, other_clinician = make_user("dr-north"), make_user("dr-south")
    patient, runner = make_user("pat@example.org"), make_user("runner")
    north = member(clinician, clinic, Role.CLINICIAN)
    south = member(other_clinician, other, Role.CLINICIAN)
    member(patient, clinic, Role.PATIENT)
    own_routine = services.routine_copy(membership=north, slug=routine_content.slug)
    other_routine = services.routine_copy(membership=south, slug=routine_content.slug)
    prescription = Prescription.objects.create(
        clinic=clinic, patient=patient, routine=routine_content, days_per_week=3, seen_version=1
    )
    invitation = Invitation.objects.create(
        clinic=clinic, code="ABCD2345", expires_at=timezone.now() + timedelta(days=3)
    )
    appointment = AppointmentRequest.objects.create(
        clinic=clinic, user=patient, reason="Heel worse", preferred_times="am", contact="555"
    )
    return World(
        clinic=clinic,
        other_clinic=other,
        clinician=clinician,
        other_clinician=other_clinician,
        patient=patient,
        runner=runner,
        routine=routine_content,
        own_routine=own_routine,
        other_routine=other_routine,
        prescription=prescription,
        invitation=invitation,
        appointment=appointment,
    )
