"""Prescribing that cannot go wrong silently: a routine must be chosen, the form says
what it will prescribe before anything is saved, it answers in place, and it refuses a
doctor-first patient and another clinic's routine."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse

from accounts.models import Profile
from clinic.models import Membership, Prescription, Role
from library.models import Condition
from tests.clinic.conftest import World, make_user, member

HTMX = {"HX-Request": "true"}


def reviewed(response: object) -> str:
    """The summary's own name for what it showed (the form sends it back on Prescribe)."""
    return response.text.split('name="reviewed" value="')[1].split('"')[0]


def staff(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def new_patient(world: World) -> User:
    patient = make_user("new@example.org")
    member(patient, world.clinic, Role.PATIENT)
    return patient


def prescribe(client: Client, patient: User, **fields: str) -> object:
    url = reverse("clinic:prescription_add", args=[patient.pk])
    return client.post(url, {"days_per_week": "3", "note": ""} | fields, headers=HTMX)


def test_the_form_starts_with_no_routine_chosen_and_offers_both_kinds_labelled(
    world: World, new_patient: User
) -> None:
    page = staff(world.clinician).get(reverse("clinic:patient", args=[new_patient.pk])).text
    select = page.split('name="routine"')[1].split("</select>")[0]
    assert '<option value="" selected>Choose a routine…</option>' in select
    assert '<optgroup label="Your clinic&#x27;s routines">' in select
    assert f'<option value="{world.own_routine.slug}">' in select
    assert '<optgroup label="Library">' in select and '<option value="heel-routine">' in select
    # Another clinic's routine is never offered.
    assert world.other_routine.slug not in page


@pytest.mark.parametrize("confirm", ["", "1"])
def test_no_routine_chosen_is_refused_and_nothing_is_saved(
    world: World, new_patient: User, confirm: str
) -> None:
    response = prescribe(staff(world.clinician), new_patient, routine="", confirm=confirm)

    assert response.status_code == 422
    assert "Choose the routine to prescribe." in response.text
    assert not Prescription.objects.filter(patient=new_patient).exists()


def test_the_form_says_what_it_will_prescribe_before_saving_it(
    world: World, new_patient: User
) -> None:
    client = staff(world.clinician)
    slug = world.own_routine.slug

    preview = prescribe(
        client,
        new_patient,
        routine=slug,
        days_per_week="4",
        note="Slowly",
        exercise=["calf-raise", "arch-lift"],
        **{"dose-calf-raise-sets": "2", "dose-calf-raise-amount": "8"},
        **{"dose-calf-raise-measure": "reps", "dose-arch-lift-measure": "hold_seconds"},
    )

    assert preview.status_code == 200
    # Only the section came back (answered in place), focus on what would be prescribed.
    assert preview.text.lstrip().startswith('<div id="prescriptions"')
    assert 'class="prescribe-summary" id="prescribe-result" tabindex="-1" autofocus' in preview.text
    assert "This will be prescribed" in preview.text
    assert "your clinic's own" in preview.text and "4 days a week" in preview.text
    assert '<strong>2 × 8</strong> <span class="meta">instead of 3 × 12</span>' in preview.text
    assert "Arch lift: 2 × 5 s hold" in preview.text and "“Slowly”" in preview.text
    assert not Prescription.objects.filter(patient=new_patient).exists()

    saved = prescribe(
        client,
        new_patient,
        routine=slug,
        days_per_week="4",
        note="Slowly",
        confirm="1",
        reviewed=reviewed(preview),
        exercise=["calf-raise", "arch-lift"],
        **{"dose-calf-raise-sets": "2", "dose-calf-raise-amount": "8"},
        **{"dose-calf-raise-measure": "reps", "dose-arch-lift-measure": "hold_seconds"},
    )

    assert saved.status_code == 201
    assert (
        'id="prescribe-result" tabindex="-1" autofocus>Prescribed Heel routine, 4 days'
        in saved.text
    )
    prescription = Prescription.objects.get(patient=new_patient)
    assert (prescription.routine, prescription.days_per_week, prescription.note) == (
        world.own_routine,
        4,
        "Slowly",
    )
    assert prescription.seen_version == 1  # a new prescription is not "updated"
    assert [(o.exercise.slug, o.sets, o.reps) for o in prescription.overrides.all()] == [
        ("calf-raise", 2, 8)
    ]


def test_without_javascript_it_is_the_same_two_steps_on_the_whole_page(
    world: World, new_patient: User
) -> None:
    client = staff(world.clinician)
    url = reverse("clinic:prescription_add", args=[new_patient.pk])

    form = {"routine": "heel-routine", "days_per_week": "3"}
    preview = client.post(url, form)
    saved = client.post(url, form | {"confirm": "1", "reviewed": reviewed(preview)})

    assert preview.status_code == 200 and "<h1>new@example.org</h1>" in preview.text
    assert "This will be prescribed" in preview.text
    assert saved.status_code == 302
    assert saved["Location"].endswith(f"/clinic/patients/{new_patient.pk}/#prescriptions")


def test_a_doctor_first_patient_gets_no_routine(world: World, new_patient: User) -> None:
    Condition.objects.create(
        slug="calf-ache",
        name="Posterior compartment syndrome",
        summary="",
        doctor_first=True,
        doctor_note="See a sports medicine doctor first.",
    )
    Profile.objects.update_or_create(user=new_patient, defaults={"main_condition": "calf-ache"})

    for confirm in ("", "1"):
        response = prescribe(
            staff(world.clinician), new_patient, routine="heel-routine", confirm=confirm
        )
        assert response.status_code == 422
        assert "needs a sports medicine doctor first" in response.text
    assert not Prescription.objects.filter(patient=new_patient).exists()


def test_another_clinics_routine_cannot_be_prescribed(world: World, new_patient: User) -> None:
    response = prescribe(
        staff(world.clinician), new_patient, routine=world.other_routine.slug, confirm="1"
    )
    assert response.status_code == 404
    assert not Prescription.objects.filter(patient=new_patient).exists()


def test_a_dose_past_the_limits_is_refused_naming_it(world: World, new_patient: User) -> None:
    response = prescribe(
        staff(world.clinician),
        new_patient,
        routine="heel-routine",
        confirm="1",
        exercise=["calf-raise"],
        **{"dose-calf-raise-sets": "21", "dose-calf-raise-measure": "reps"},
    )
    assert response.status_code == 422
    assert "Sets is between 1 and 20." in response.text
    assert not Prescription.objects.filter(patient=new_patient).exists()


def test_an_unpublished_draft_cannot_be_prescribed(world: World, new_patient: User) -> None:
    from clinic import services
    from library.types import DraftItem

    draft = services.routine_create(
        membership=Membership.objects.get(user=world.clinician),
        title="Arch work",
        summary="",
        phase="local-stabilization",
        frequency="",
        conditions=["heel-pain"],
        items=[DraftItem(exercise="arch-lift", sets=2, hold_seconds=5)],
    )
    response = prescribe(staff(world.clinician), new_patient, routine=draft.slug, confirm="1")
    assert response.status_code == 422
    assert "is not published yet" in response.text


def test_a_summary_confirms_only_what_it_showed(world: World, new_patient: User) -> None:
    """Days changed after the summary was shown: Prescribe shows the new summary first."""
    client = staff(world.clinician)
    preview = prescribe(client, new_patient, routine="heel-routine", days_per_week="3")

    changed = prescribe(
        client,
        new_patient,
        routine="heel-routine",
        days_per_week="6",
        confirm="1",
        reviewed=reviewed(preview),
    )

    assert changed.status_code == 200
    assert "The form changed since the last summary" in changed.text
    assert "6 days a week" in changed.text
    assert not Prescription.objects.filter(patient=new_patient).exists()
    saved = prescribe(
        client,
        new_patient,
        routine="heel-routine",
        days_per_week="6",
        confirm="1",
        reviewed=reviewed(changed),
    )
    assert saved.status_code == 201
    assert Prescription.objects.get(patient=new_patient).days_per_week == 6
