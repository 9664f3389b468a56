"""The clinic's pages and the patient's side: dashboard order, patient page, CSV,
prescriptions reaching the player and the home page, the editor and the diff."""

from __future__ import annotations

import csv
import io
import uuid
from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from clinic.models import DoseOverride, Prescription, Role
from library.models import Exercise, RoutineVersion
from tests.clinic.conftest import World, checkin, make_user, member
from training.models import SessionExercise, SessionLog


def staff(world: World) -> Client:
    client = Client()
    client.force_login(world.clinician)
    return client


def play(user, version: RoutineVersion, *, when, skipped_reason: str = "", pain: int = 3) -> None:
    log = SessionLog.objects.create(
        client_id=uuid.uuid4(),
        user=user,
        routine_version=version,
        started_at=when,
        ended_at=when + timedelta(minutes=20),
    )
    SessionExercise.objects.create(
        log=log,
        position=1,
        exercise_slug="calf-raise",
        exercise_name="Calf raise",
        sets_planned=3,
        sets_done=3,
        pain=pain,
        effort="right",
    )
    SessionExercise.objects.create(
        log=log,
        position=2,
        exercise_slug="arch-lift",
        exercise_name="Arch lift",
        sets_planned=2,
        sets_done=0,
        skipped=True,
        skip_reason=skipped_reason,
    )


def test_dashboard_puts_red_flags_first_then_the_quiet_then_everyone_by_name(
    world: World, django_assert_max_num_queries
) -> None:
    today = timezone.now().date()
    calm, quiet, flagged = make_user("calm"), make_user("quiet"), make_user("flagged")
    for user in (calm, quiet, flagged):
        member(user, world.clinic, Role.PATIENT)
    checkin(world.patient, today - timedelta(days=3), 4)
    checkin(calm, today, 2)
    checkin(flagged, today - timedelta(days=5), 6, calf_swelling=True)
    checkin(flagged, today - timedelta(days=4), 5)
    play(world.patient, world.routine.current_version, when=timezone.now() - timedelta(minutes=1))

    client = staff(world)
    client.get(reverse("clinic:dashboard"))  # a session's first page also reads the time zone
    # Session, user, membership, then a fixed number for the whole list, however long.
    with django_assert_max_num_queries(14):
        response = client.get(reverse("clinic:dashboard"))

    rows = response.context["page"].rows
    assert [row.name for row in rows] == ["flagged", "pat@example.org", "calm", "quiet"]
    assert "Calf swelling" in rows[0].flags[0].labels[0]
    assert (rows[1].sessions_week, rows[1].prescribed_week) == (1, 3)
    assert "1 patient with red flags waiting" in response.text
    assert response.text.count('class="spark"') == 4


def test_a_red_flag_older_than_the_wait_no_longer_leads(world: World) -> None:
    today = timezone.now().date()
    old = make_user("old-flag")
    member(old, world.clinic, Role.PATIENT)
    checkin(old, today - timedelta(days=31), 5, numbness=True)
    checkin(old, today, 3)
    checkin(world.patient, today, 3)
    rows = staff(world).get(reverse("clinic:dashboard")).context["page"].rows
    assert [row.name for row in rows] == ["old-flag", "pat@example.org"]
    assert not rows[0].flags


def test_dashboard_htmx_refresh_returns_only_the_list(world: World) -> None:
    response = staff(world).get(reverse("clinic:dashboard"), headers={"HX-Request": "true"})
    assert response.text.lstrip().startswith('<div id="patients"')
    assert "<html" not in response.text


def test_patient_page_shows_check_ins_flags_and_sessions(world: World) -> None:
    today = timezone.now().date()
    checkin(world.patient, today, 7, numbness=True)
    play(world.patient, world.routine.current_version, when=timezone.now(), skipped_reason="hurt")
    response = staff(world).get(reverse("clinic:patient", args=[world.patient.pk]))
    assert response.status_code == 200
    text = response.text
    assert "first step <strong>7/10</strong>" in text
    assert "Numbness or tingling" in text
    assert "Arch lift: skipped (it hurt)" in text
    assert "Calf raise: 3/3 sets · pain 3/10" in text


def test_csv_export_has_check_ins_and_session_exercises(world: World) -> None:
    today = timezone.now().date()
    checkin(world.patient, today - timedelta(days=1), 5, fever_hot_foot=True)
    play(
        world.patient, world.routine.current_version, when=timezone.now(), skipped_reason="no-time"
    )
    response = staff(world).get(reverse("clinic:patient_export", args=[world.patient.pk]))
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert [r["record"] for r in rows] == ["check-in", "session", "session"]
    assert rows[0]["first_step_pain"] == "5" and "Fever" in rows[0]["red_flags"]
    assert rows[1]["exercise"] == "Calf raise" and rows[1]["exercise_pain"] == "3"
    assert rows[2]["skipped"] == "yes" and rows[2]["skip_reason"] == "No time"
    assert rows[1]["routine"] == "heel-routine" and rows[1]["version"] == "1"


def test_csv_cells_are_never_formulas(world: World) -> None:
    SessionLog.objects.all().delete()
    version = world.routine.current_version
    log = SessionLog.objects.create(
        client_id=uuid.uuid4(),
        user=world.patient,
        routine_version=version,
        started_at=timezone.now(),
        ended_at=timezone.now(),
    )
    SessionExercise.objects.create(
        log=log,
        position=1,
        exercise_slug="x",
        exercise_name="=HYPERLINK(1)",
        sets_planned=1,
        sets_done=1,
    )
    response = staff(world).get(reverse("clinic:patient_export", args=[world.patient.pk]))
    assert "'=HYPERLINK(1)" in response.content.decode()


def test_prescription_doses_reach_the_player_for_that_patient_only(world: World) -> None:
    DoseOverride.objects.create(
        prescription=world.prescription,
        exercise=Exercise.objects.get(slug="calf-raise"),
        sets=2,
        reps=6,
    )
    DoseOverride.objects.create(
        prescription=world.prescription,
        exercise=Exercise.objects.get(slug="arch-lift"),
        hold_seconds=12,
    )
    Prescription.objects.filter(pk=world.prescription.pk).update(note="Go gently on the left")
    page = reverse("pwa:player", args=["heel-routine"])
    plan = reverse("api:plan", kwargs={"slug": "heel-routine"})
    patient = Client()
    patient.force_login(world.patient)

    # The player reads the patient's own doses and note from their plan (the page itself is
    # the same for everyone, so a shared phone's cache holds nobody's prescription).
    mine = patient.get(plan).json()
    assert [(i["sets"], i["reps"], i["hold_seconds"], i["dose"]) for i in mine["items"]] == [
        (2, 6, None, "2 × 6"),
        (2, None, 12, "2 × 12 s hold"),
    ]
    assert mine["prescribed"] is True
    assert mine["note"] == "Go gently on the left"
    assert "Go gently on the left" not in patient.get(page).text
    # Anyone else plays the routine as published.
    runner = Client()
    runner.force_login(world.runner)
    theirs = runner.get(plan).json()
    assert theirs["prescribed"] is False
    assert theirs["note"] == ""
    assert (theirs["items"][0]["sets"], theirs["items"][0]["reps"]) == (3, 12)
    for person in (patient, runner, Client()):
        assert person.get(page).context["data"]["items"][0]["reps"] == 12


def test_clinician_sets_doses_on_the_patient_page(world: World) -> None:
    response = staff(world).post(
        reverse("clinic:prescription_edit", args=[world.prescription.pk]),
        {
            "days_per_week": "5",
            "note": "Every weekday",
            "exercise": ["calf-raise", "arch-lift"],
            "dose-calf-raise-sets": "4",
            "dose-calf-raise-amount": "",
            "dose-calf-raise-measure": "reps",
            "dose-arch-lift-sets": "",
            "dose-arch-lift-amount": "10",
            "dose-arch-lift-measure": "hold_seconds",
        },
    )
    assert response.status_code == 302
    prescription = Prescription.objects.get(pk=world.prescription.pk)
    assert (prescription.days_per_week, prescription.note) == (5, "Every weekday")
    overrides = {
        o.exercise.slug: (o.sets, o.reps, o.hold_seconds) for o in prescription.overrides.all()
    }
    assert overrides == {"calf-raise": (4, None, None), "arch-lift": (None, None, 10)}


def test_home_says_today_for_a_patient(world: World) -> None:
    Prescription.objects.filter(pk=world.prescription.pk).update(note="Slowly")
    patient = Client()
    patient.force_login(world.patient)
    text = patient.get(reverse("pwa:home")).text
    assert "Today: Heel routine" in text and "0 of 3 this week" in text and "Slowly" in text
    assert "Today:" not in Client().get(reverse("pwa:home")).text
    runner = Client()
    runner.force_login(world.runner)
    assert "Today:" not in runner.get(reverse("pwa:home")).text


def test_editor_reorders_saves_and_publishes_with_a_diff(world: World) -> None:
    client = staff(world)
    slug = world.own_routine.slug
    url = reverse("clinic:routine_edit", args=[slug])
    rows = {
        "expected_version": "1",
        "item-0-exercise": "calf-raise",
        "item-0-sets": "3",
        "item-0-amount": "12",
        "item-0-measure": "reps",
        "item-0-rest": "60",
        "item-0-note": "",
        "item-1-exercise": "arch-lift",
        "item-1-sets": "2",
        "item-1-amount": "5",
        "item-1-measure": "hold_seconds",
        "item-1-rest": "30",
        "item-1-note": "",
    }
    response = client.post(
        url, rows | {"op": "down-0", "draft_revision": "0"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="editor"')
    assert "Exercises reordered" in response.text
    client.post(url, rows | {"op": "add", "add-exercise": "bike", "draft_revision": "1"})
    assert [i.exercise.slug for i in world.own_routine.items.order_by("position")] == [
        "calf-raise",
        "arch-lift",
        "bike",
    ]
    publish = reverse("clinic:routine_publish", args=[slug])
    base = {"expected_version": "1", "draft_revision": "2"}

    refused = client.post(publish, base | {"changelog": ""})
    assert refused.status_code == 422
    asked = client.post(publish, base | {"changelog": "Added an easy bike"})
    assert asked.status_code == 200
    assert "Publish version 2 now?" in asked.text
    assert "This reaches <strong>0 patients</strong>" in asked.text
    assert world.own_routine.versions.count() == 1  # nothing published yet
    published = client.post(publish, base | {"changelog": "Added an easy bike", "confirm": "on"})
    diff_url = reverse("clinic:routine_diff", args=[slug, 1, 2])
    assert published["Location"] == f"{diff_url}?published=1"
    diff = client.get(published["Location"]).text
    assert "Added Bike (20 min)" in diff and "Added an easy bike" in diff
    assert "Published version 2" in diff
    assert '<li class="changed">Bike <span class="meta">20 min</span> <span class="tag">new' in diff
    # The library routine it was copied from is untouched.
    assert world.routine.versions.count() == 1


def test_forbidden_page_says_why_in_plain_words(world: World) -> None:
    client = Client()
    client.force_login(world.patient)
    response = client.get(reverse("clinic:dashboard"))
    assert response.status_code == 403
    assert "This page isn't for your account" in response.text
    assert "staff can open this." in response.text


def test_account_page_offers_each_role_its_clinic_part(world: World) -> None:
    pages = {}
    for role in ("patient", "runner", "clinician"):
        client = Client()
        client.force_login(getattr(world, role))
        pages[role] = client.get(reverse("accounts:profile")).text
    assert "Your clinic: North Physio" in pages["patient"]
    assert "Book a time with your clinic" in pages["patient"]
    assert "Book a time with a clinic" in pages["runner"]
    assert "Open the clinic dashboard" in pages["clinician"]
    # Notifications are for everyone (an uncompressed P-256 point: 0x04… is "B…").
    for page in pages.values():
        assert 'data-push-key="B' in page


def test_patient_page_queries_do_not_grow_with_history(world: World) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = staff(world)
    url = reverse("clinic:patient", args=[world.patient.pk])
    version = world.routine.current_version
    today = timezone.now().date()

    def count() -> int:
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    client.get(url)  # a session's first page also reads the time zone
    # The first check-in over a week old: the trend then compares with the first week.
    play(world.patient, version, when=timezone.now() - timedelta(days=1))
    checkin(world.patient, today - timedelta(days=9), 4)
    few = count()
    for days in range(2, 8):
        play(world.patient, version, when=timezone.now() - timedelta(days=days))
        checkin(world.patient, today - timedelta(days=days), 5, numbness=days % 2 == 0)
    assert count() == few


def test_clinicians_land_on_their_patients_and_runners_on_the_check_in(world: World) -> None:
    for user, landing in ((world.clinician, "/clinic/"), (world.patient, "/checkin/")):
        response = Client().post(
            reverse("accounts:login"),
            {"username": user.get_username(), "password": "a long pass phrase"},
        )
        assert response["Location"] == landing, user


def test_clinic_pages_carry_the_clinics_tab_bar_not_the_runners(world: World) -> None:
    client = staff(world)
    for name in ("dashboard", "routines", "invitations", "appointments"):
        page = client.get(reverse(f"clinic:{name}")).text
        assert page.count('class="tabbar') == 1, name
        assert 'aria-label="Clinic"' in page and 'aria-label="Main"' not in page, name
        assert page.count('aria-current="page"') == 1 + page.count('class="chips"'), name


def test_the_runners_tab_bar_marks_the_page_it_is_on(world: World) -> None:
    page = Client().get(reverse("pwa:routines")).text
    current = page.split('aria-current="page"')[0].rsplit("<a ", 1)[1]
    assert 'href="/routines/"' in current
