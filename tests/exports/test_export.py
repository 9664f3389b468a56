"""The data export: every table that points at a person is in it (or said why not), a
person gets all of theirs and nobody else's, and the download is streamed."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import time, timedelta

import pytest
from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from clinic.models import DoseOverride, Invitation
from exports.selectors import HOLDS, NOT_HELD, account_export
from journal.services import return_to_run_set
from library.models import Exercise, SavedRoutine
from notifications.models import Kind, PushSubscription
from notifications.services import Announcement, notices_send
from reminders.services import routine_reminder_set
from selfcheck.models import SelfCheckResult
from tests.clinic.conftest import World, checkin
from training.services import ExerciseResult, session_record

pytestmark = pytest.mark.django_db


def _pointing_at_people() -> set[tuple[str, str]]:
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    found = {(user_model._meta.label, "id")}
    for model in apps.get_models():
        for field in model._meta.get_fields():
            if field.is_relation and field.concrete and field.related_model is user_model:
                found.add((model._meta.label, field.name))
    return found


def test_every_table_that_points_at_a_person_is_exported_or_said_why_not() -> None:
    missing = _pointing_at_people() - set(HOLDS) - set(NOT_HELD)
    assert sorted(missing) == [], "add each to exports.selectors.HOLDS (or NOT_HELD, with why)"
    assert not set(HOLDS) & set(NOT_HELD)
    assert sorted((set(HOLDS) | set(NOT_HELD)) - _pointing_at_people()) == []


def _one_of_everything(world: World) -> dict[str, str]:
    """The patient holds a row in every table the export covers; returns a value from each
    that must appear in their export (and in nobody else's)."""
    patient = world.patient
    day = timezone.localdate() - timedelta(days=1)
    morning = checkin(patient, day, 6, numbness=True)
    now = timezone.now()
    log, _ = session_record(
        user=patient,
        client_id=uuid.uuid4(),
        routine="heel-routine",
        version=1,
        started_at=now - timedelta(minutes=30),
        ended_at=now - timedelta(minutes=10),
        exercises=[ExerciseResult(position=1, exercise="calf-raise", sets_done=3, reps=36)],
    )
    SelfCheckResult.objects.create(
        user=patient,
        created_at=now,
        answers={"first-steps": "yes"},
        outcome={"red_flags": [], "conditions": [{"slug": "plantar-fasciitis-xyz"}]},
        urgency="",
        top_condition="plantar-fasciitis-xyz",
        rules_hash="h",
    )
    Invitation.objects.filter(pk=world.invitation.pk).update(used_by=patient, used_at=now)
    world.prescription.note = "Slow lowering, 3 seconds down"
    world.prescription.save()
    DoseOverride.objects.create(
        prescription=world.prescription, exercise=Exercise.objects.get(slug="calf-raise"), sets=5
    )
    world.appointment.contact = "555-0199"
    world.appointment.save()
    return_to_run_set(patient=patient, cleared=True, stage="jog-longer", by=world.clinician)
    PushSubscription.objects.create(
        user=patient,
        endpoint="https://fcm.googleapis.com/fcm/send/patients-phone",
        p256dh="p",
        auth="a",
    )
    SavedRoutine.objects.create(user=patient, routine=world.own_routine, version=1, reported_at=now)
    notices_send(
        announcements=[
            Announcement(
                user_id=patient.pk,
                kind=Kind.ROUTINE_UPDATED,
                key="routine-1-v2",
                title="Your routine was updated",
                body="Heel routine v2: slower heel drops",
                url="/routines/heel-routine/",
                ttl=timedelta(days=1),
            )
        ],
        now=now,
    )
    routine_reminder_set(user=patient, at=time(18, 5), weekdays=0b10101)
    return {
        "account": patient.username,
        "profile": "UTC",
        "checkins": str(morning.client_id),
        "return_to_running": "jog-longer",
        "sessions": str(log.client_id),
        "selfcheck_results": "plantar-fasciitis-xyz",
        "clinic_memberships": world.clinic.name,
        "clinic_invitation": world.invitation.code,
        "prescriptions": "Slow lowering, 3 seconds down",
        "appointment_requests": "555-0199",
        "push_subscriptions": "patients-phone",
        "saved_routines": world.own_routine.slug,
        "notifications": "slower heel drops",
        "routine_reminder": "18:05",
    }


def _export(user: User) -> dict:
    client = Client()
    client.force_login(user)
    response = client.get("/accounts/export.json")
    assert response.status_code == 200 and response.streaming
    assert response["Cache-Control"] == "private, no-store"
    return json.loads(b"".join(response.streaming_content))


def test_a_person_gets_every_kind_of_row_they_have(world: World) -> None:
    expected = _one_of_everything(world)
    assert set(expected) == set(HOLDS.values()), "one value per section of the export"

    data = _export(world.patient)

    for section, value in expected.items():
        assert value in json.dumps(data[section], ensure_ascii=False), section
    assert data["checkins"][0]["red_flags"] == ["numbness"]
    assert data["prescriptions"][0]["doses"] == [
        {"exercise": "calf-raise", "sets": 5, "reps": None, "hold_seconds": None}
    ]
    assert data["appointment_requests"][0]["reason"] == "Heel worse"


@pytest.mark.parametrize("role", ["runner", "clinician", "other_clinician"])
def test_nobody_else_gets_any_of_it(world: World, role: str) -> None:
    secrets = _one_of_everything(world)
    text = json.dumps(_export(getattr(world, role)), ensure_ascii=False)
    for section, value in secrets.items():
        if section in {"profile", "clinic_memberships"}:
            continue  # "UTC" and the clinic's name are not the patient's alone
        assert value not in text, section


def test_the_streamed_document_is_the_export_itself(world: World) -> None:
    _one_of_everything(world)
    streamed = _export(world.patient)
    in_memory = account_export(user=world.patient)
    assert streamed.keys() == in_memory.keys()
    assert {k: v for k, v in streamed.items() if k != "exported_at"} == {
        k: v for k, v in in_memory.items() if k != "exported_at"
    }


def test_the_sections_of_the_old_export_read_as_they_did(world: World) -> None:
    """Account, profile, check-ins and sessions keep their shape (sessions gained fields;
    check-ins gained the walking answer and whether the warning signs were answered; the
    profile the name and phone the person gives their clinic)."""
    _one_of_everything(world)
    data = _export(world.patient)
    assert set(data["account"]) >= {"username", "email", "date_joined"}
    assert set(data["profile"]) == {
        "main_condition", "time_zone", "reminder_time", "distance_unit", "display_name", "phone",
    }  # fmt: skip
    assert set(data["checkins"][0]) == {
        "client_id", "date", "first_step_pain", "locations", "stiffness_minutes", "activity",
        "distance_km", "pain_during", "pain_after", "red_flags", "answered_at",
        "walking_pain_free", "red_flags_answered",
    }  # fmt: skip
    assert set(data["sessions"][0]) >= {"client_id", "routine", "version", "started_at", "ended_at"}
    assert set(data["sessions"][0]["exercises"][0]) >= {
        "position", "exercise", "sets_done", "reps", "seconds", "skipped", "skip_reason",
        "pain", "effort",
    }  # fmt: skip


def test_export_queries_do_not_grow_with_the_rows(world: World) -> None:
    _one_of_everything(world)
    client = Client()
    client.force_login(world.patient)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            b"".join(client.get("/accounts/export.json").streaming_content)
        return len(captured)

    queries()  # the session's first request also remembers the person's zone
    few = queries()
    for days in range(2, 40):
        checkin(world.patient, timezone.localdate() - timedelta(days=days), 3)
    assert queries() == few


def test_the_spreadsheet_reads_check_ins_only_and_streams(world: World) -> None:
    _one_of_everything(world)
    checkin(world.patient, timezone.localdate(), 2)
    client = Client()
    client.force_login(world.patient)
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/accounts/export.csv")
        body = b"".join(response.streaming_content).decode()

    assert response.streaming and response["Content-Type"].startswith("text/csv")
    assert not [q for q in captured if "training_" in q["sql"] or "clinic_" in q["sql"]]
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [row["first_step_pain"] for row in rows] == ["2", "6"]
    assert rows[1]["red_flags"] == "numbness"


def test_no_table_names_a_person_or_their_answers_in_its_text(world: World) -> None:
    """Model __str__ reaches logs and error reports: ids only."""
    _one_of_everything(world)
    user_model = apps.get_model(settings.AUTH_USER_MODEL)
    tables = {label for label, _ in HOLDS | NOT_HELD} - {user_model._meta.label}
    for label in sorted(tables):
        for row in apps.get_model(label).objects.all():
            text = str(row)
            assert world.patient.username not in text and "dr-north" not in text, (label, text)
            assert "Heel worse" not in text and "555-0199" not in text, (label, text)
