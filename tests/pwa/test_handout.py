"""The printed handout: every exercise with its drawing, dose and cues, the pain rule, and
for a patient their clinic's name and the doses it prescribed."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from clinic.models import DoseOverride
from journal.advice import PAIN_LIMIT
from library.models import Exercise
from tests.clinic.conftest import (  # noqa: F401 (fixtures)
    World,
    routine_content,
    world,
)

URL = reverse("pwa:routine_handout", args=["heel-routine"])


def handout(client: Client) -> str:
    response = client.get(URL)
    assert response.status_code == 200
    return response.content.decode()


def items(html: str) -> list[str]:
    return re.findall(
        r'<li class="handout-item">(.*?)</li>\s*(?=<li class="handout-item">|</ol>)', html, re.S
    )


def test_every_exercise_is_on_the_handout_with_its_dose_and_cues(world: World) -> None:  # noqa: F811
    html = handout(Client())

    found = items(html)
    assert len(found) == 2
    assert "Calf raise" in found[0] and "3 × 12" in found[0]
    assert "Arch lift" in found[1] and "2 × 5 s hold" in found[1]
    for exercise in Exercise.objects.filter(slug__in=["calf-raise", "arch-lift"]):
        for cue in exercise.cues:
            assert cue in html
    assert f"may reach {PAIN_LIMIT} out of 10" in html
    assert "sports medicine doctor" in html
    assert "North Physio" not in html  # nobody's clinic for a stranger


def test_a_patient_gets_their_prescribed_doses_and_their_clinics_name(world: World) -> None:  # noqa: F811
    DoseOverride.objects.create(
        prescription=world.prescription,
        exercise=Exercise.objects.get(slug="calf-raise"),
        sets=4,
        reps=8,
    )
    world.prescription.note = "Slow on the way down."
    world.prescription.save()
    client = Client()
    client.force_login(world.patient)

    html = handout(client)

    assert "4 × 8" in items(html)[0]
    assert "the doses your clinic set for you" in html
    assert "North Physio" in html
    assert "Slow on the way down." in html


@pytest.mark.parametrize("role", ["runner", "clinician"])
def test_people_without_a_prescription_get_the_routine_as_published(
    world: World,  # noqa: F811
    role: str,
) -> None:
    client = Client()
    client.force_login(world.user(role))

    html = handout(client)

    assert "3 × 12" in items(html)[0]
    assert "North Physio" not in html
    assert "your clinic set" not in html


def test_an_unknown_routine_has_no_handout(world: World) -> None:  # noqa: F811
    response = Client().get(reverse("pwa:routine_handout", args=["no-such-routine"]))

    assert response.status_code == 404


def test_the_routine_page_links_to_its_handout(world: World) -> None:  # noqa: F811
    html = Client().get(reverse("pwa:routine", args=["heel-routine"])).content.decode()

    assert f'href="{URL}"' in html
