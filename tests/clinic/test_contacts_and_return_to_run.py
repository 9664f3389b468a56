"""The clinic's phone (set by its clinicians, shown to its patients on a triage) and the
clinician's "cleared to return to running" control on the patient page."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import Membership
from clinic.selectors.contacts import care_contacts
from clinic.services import clinic_phone_set
from footing.errors import Invalid
from journal.models import ReturnToRun
from tests.clinic.conftest import World

pytestmark = pytest.mark.django_db


def login(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize(
    "phone", ["+1 (555) 010-2030", "020 7946 0000", "+61 2 9876 5432", "555.010.2030"]
)
def test_a_clinician_sets_the_phone_and_patients_get_it(world: World, phone: str) -> None:
    membership = Membership.objects.get(user=world.clinician)
    clinic_phone_set(membership=membership, phone=f"  {phone} ")
    contacts = care_contacts(user=world.patient)
    assert contacts.clinic_phone == phone and contacts.clinic_name == world.clinic.name
    assert contacts.clinic_tel.lstrip("+").isdigit()
    # Another clinic's patients and runners never get it.
    assert care_contacts(user=world.runner).clinic_phone == ""


@pytest.mark.parametrize(
    "phone", ["call me", "12", "+1 555 010 2030 999 999", "1+2", "javascript:1"]
)
def test_a_phone_that_would_break_a_tel_link_is_refused(world: World, phone: str) -> None:
    membership = Membership.objects.get(user=world.clinician)
    with pytest.raises(Invalid) as error:
        clinic_phone_set(membership=membership, phone=phone)
    assert error.value.field == "phone"
    world.clinic.refresh_from_db()
    assert world.clinic.phone == ""


def test_the_phone_form_answers_in_place(world: World) -> None:
    client = login(world.clinician)
    assert "Clinic phone number" in client.get(reverse("accounts:profile")).content.decode()
    bad = client.post(reverse("clinic:phone"), {"phone": "call me"}, headers={"HX-Request": "true"})
    assert bad.status_code == 422 and "digits" in bad.content.decode()
    good = client.post(
        reverse("clinic:phone"), {"phone": "020 7946 0000"}, headers={"HX-Request": "true"}
    )
    assert good.status_code == 200 and "Saved" in good.content.decode()
    world.clinic.refresh_from_db()
    assert world.clinic.phone == "020 7946 0000"


def test_the_clinician_clears_a_patient_to_return_to_running(world: World) -> None:
    client = login(world.clinician)
    page = client.get(reverse("clinic:patient", args=[world.patient.pk])).content.decode()
    assert "Cleared to return to running" in page and "Readiness checks" in page
    response = client.post(
        reverse("clinic:return_to_run", args=[world.patient.pk]),
        {"cleared": "on", "stage": "walk-jog-2"},
        headers={"HX-Request": "true"},
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and 'id="return-to-run"' in body and "Saved" in body
    row = ReturnToRun.objects.get(user=world.patient)
    assert (row.cleared, row.stage, row.changed_by) == (True, "walk-jog-2", world.clinician)
    # Unticked is "not cleared" again.
    client.post(reverse("clinic:return_to_run", args=[world.patient.pk]), {"stage": "walk-jog-2"})
    assert ReturnToRun.objects.get(user=world.patient).cleared is False


def test_an_unknown_stage_is_refused_and_nothing_changes(world: World) -> None:
    client = login(world.clinician)
    response = client.post(
        reverse("clinic:return_to_run", args=[world.patient.pk]),
        {"cleared": "on", "stage": "sprint"},
    )
    assert response.status_code == 422 and "no stage" in response.content.decode()
    assert not ReturnToRun.objects.exists()


def test_another_clinics_clinician_cannot_clear_the_patient(world: World) -> None:
    response = login(world.other_clinician).post(
        reverse("clinic:return_to_run", args=[world.patient.pk]), {"cleared": "on", "stage": ""}
    )
    assert response.status_code == 404
    assert not ReturnToRun.objects.exists()
