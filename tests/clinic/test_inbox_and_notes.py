"""The inbox both ways (status and reply reach the patient, and only that patient), the
inbox counts moving at once, and clinicians' notes staying with the clinic's staff."""

from __future__ import annotations

import json

from django.test import Client
from django.urls import reverse

from clinic.models import AppointmentRequest, AppointmentStatus, PatientNote
from tests.clinic.conftest import World, make_user, member


def body(response) -> bytes:
    """Pages and streamed downloads alike."""
    if response.streaming:
        return b"".join(response.streaming_content)
    return response.content


def logged_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_reply_reaches_the_patient_with_the_status(world: World) -> None:
    clinic = logged_in(world.clinician)
    response = clinic.post(
        reverse("clinic:appointment_reply", args=[world.appointment.pk]),
        {"reply": "We can see you Tuesday at 10:00", "status": ""},
    )
    assert response.status_code == 302
    request = AppointmentRequest.objects.get(pk=world.appointment.pk)
    assert request.status == AppointmentStatus.CONTACTED  # a reply is a contact
    assert request.replied_by == world.clinician and request.replied_at is not None
    account = logged_in(world.patient).get(reverse("accounts:profile")).text
    assert "We can see you Tuesday at 10:00" in account
    assert "Contacted" in account and "North Physio replied" in account
    home = logged_in(world.patient).get(reverse("pwa:home")).text
    assert "North Physio replied · Contacted" in home and "Tuesday at 10:00" in home

    clinic.post(
        reverse("clinic:appointment_reply", args=[world.appointment.pk]),
        {"reply": "Booked: Tuesday 10:00, room 2", "status": "booked"},
    )
    account = logged_in(world.patient).get(reverse("accounts:profile")).text
    assert "Booked: Tuesday 10:00, room 2" in account and "Booked" in account


def test_a_requests_status_is_its_patients_alone(world: World) -> None:
    logged_in(world.clinician).post(
        reverse("clinic:appointment_reply", args=[world.appointment.pk]),
        {"reply": "Call us back on 555 0100"},
    )
    other = make_user("other-patient@example.org")
    member(other, world.clinic, "patient")
    for user in (other, world.runner, world.clinician, world.other_clinician):
        for name in ("accounts:profile", "pwa:home"):
            text = logged_in(user).get(reverse(name)).text
            assert "Call us back on 555 0100" not in text, (user, name)
            assert "Heel worse" not in text, (user, name)
    assert "Call us back on 555 0100" not in Client().get(reverse("pwa:home")).text
    # The other clinic cannot reply to, or change, this clinic's request.
    foreign = logged_in(world.other_clinician)
    for name, body in (
        ("clinic:appointment_reply", {"reply": "Hello"}),
        ("clinic:appointment_status", {"status": "closed"}),
    ):
        assert foreign.post(reverse(name, args=[world.appointment.pk]), body).status_code == 404
    assert AppointmentRequest.objects.get(pk=world.appointment.pk).reply.startswith("Call us")


def test_an_empty_or_long_reply_is_refused_naming_the_field(world: World) -> None:
    clinic = logged_in(world.clinician)
    url = reverse("clinic:appointment_reply", args=[world.appointment.pk])
    assert clinic.post(url, {"reply": "   "}).status_code == 422
    assert clinic.post(url, {"reply": "x" * 1001}).status_code == 422
    assert clinic.post(url, {"reply": "ok", "status": "lost"}).status_code == 422
    assert AppointmentRequest.objects.get(pk=world.appointment.pk).reply == ""


def test_status_changes_move_every_count_at_once(world: World) -> None:
    clinic = logged_in(world.clinician)
    page = clinic.get(reverse("clinic:appointments")).text
    assert 'id="inbox-count">1</span>' in page and "New (1)" in page
    response = clinic.post(
        reverse("clinic:appointment_status", args=[world.appointment.pk]),
        {"status": "booked"},
        headers={"HX-Request": "true"},
    )
    text = response.text
    assert f'id="request-{world.appointment.pk}"' in text
    # Out of band: the status tabs and the tab bar's badge, with the new numbers.
    assert 'id="inbox-tabs" aria-label="Status" hx-swap-oob="true"' in text
    assert "New (0)" in text and "Booked (1)" in text
    assert 'id="inbox-count" hx-swap-oob="true" hidden' in text
    replied = clinic.post(
        reverse("clinic:appointment_reply", args=[world.appointment.pk]),
        {"reply": "See you then"},
        headers={"HX-Request": "true"},
    )
    assert "See you then" in replied.text and 'hx-swap-oob="true"' in replied.text


def test_notes_are_the_clinics_and_never_the_patients(world: World) -> None:
    clinic = logged_in(world.clinician)
    url = reverse("clinic:note_add", args=[world.patient.pk])
    assert clinic.post(url, {"body": "Private: suspect navicular"}).status_code == 302
    note = PatientNote.objects.get()
    assert note.author == world.clinician and note.clinic == world.clinic
    page = clinic.get(reverse("clinic:patient", args=[world.patient.pk])).text
    assert "Private: suspect navicular" in page
    export = clinic.get(reverse("clinic:patient_export", args=[world.patient.pk]))
    assert "Private: suspect navicular" in body(export).decode()

    patient = logged_in(world.patient)
    for name in ("pwa:home", "accounts:profile", "pwa:progress", "accounts:export_csv"):
        assert b"navicular" not in body(patient.get(reverse(name))), name
    everything = json.loads(body(patient.get(reverse("accounts:export_json"))))
    assert "navicular" not in json.dumps(everything)
    # Not even the route is admitted to: a patient is told "not found", as other clinics are.
    assert patient.post(url, {"body": "mine"}).status_code == 404
    foreign = logged_in(world.other_clinician)
    assert foreign.get(reverse("clinic:patient", args=[world.patient.pk])).status_code == 404
    assert foreign.post(url, {"body": "theirs"}).status_code == 404
    assert PatientNote.objects.count() == 1


def test_an_empty_note_is_refused(world: World) -> None:
    clinic = logged_in(world.clinician)
    response = clinic.post(reverse("clinic:note_add", args=[world.patient.pk]), {"body": "  "})
    assert response.status_code == 422
    assert PatientNote.objects.count() == 0
