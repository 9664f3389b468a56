"""Seed data for the patient-list benchmark (bench/patients.py), run inside Django by
`manage.py shell`: three clinics of 10, 100 and 1,000 patients, 90 days of check-ins
each, sessions three days a week, a prescription for most, a red flag here and there.
Written in bulk: the list reads nothing but the rows themselves."""

from __future__ import annotations

import random
import uuid
from datetime import timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.models import Profile
from clinic.models import Clinic, Membership, Prescription, Role
from journal.models import CheckIn
from library.models import Routine
from training.models import SessionLog

SIZES = (10, 100, 1000)
DAYS = 90
PASSWORD = "bench-clinician-password"
ZONES = ("Europe/London", "Europe/Berlin", "America/New_York", "Australia/Sydney", "UTC")
FIRST = ("Anna", "Ben", "Chloe", "Dev", "Ella", "Finn", "Grace", "Hugo", "Isla", "Jack")
LAST = ("Karlsson", "Okafor", "Nguyen", "Patel", "Smith", "Müller", "García", "Haddad")


def clinician_of(size: int) -> str:
    return f"bench-clinic-{size}"


def seed(sizes: tuple[int, ...] = SIZES) -> None:
    """Each size's clinic, unless the database holds it already (bench.profile --db keeps
    one seeded file between runs). Each size has its own random numbers, so a clinic is
    the same whether seeded alone or with the others."""
    now = timezone.now()
    routine = Routine.objects.filter(current_version__isnull=False).order_by("slug").first()
    assert routine is not None and routine.current_version is not None, "load_content first"
    for size in sizes:
        if Clinic.objects.filter(slug=f"bench-{size}").exists():
            continue
        rnd = random.Random(f"bench-{size}")
        clinic = Clinic.objects.create(slug=f"bench-{size}", name=f"Bench {size}")
        doctor = User.objects.create_user(clinician_of(size), password=PASSWORD)
        Membership.objects.create(user=doctor, clinic=clinic, role=Role.CLINICIAN)
        users = User.objects.bulk_create(
            User(username=f"p{size}-{n}@bench.example", email=f"p{size}-{n}@bench.example")
            for n in range(size)
        )
        Profile.objects.bulk_create(
            Profile(
                user=user,
                display_name=f"{rnd.choice(FIRST)} {rnd.choice(LAST)}",
                phone=f"+44 7700 9{rnd.randint(10000, 99999)}",
                time_zone=rnd.choice(ZONES),
            )
            for user in users
        )
        Membership.objects.bulk_create(
            Membership(user=user, clinic=clinic, role=Role.PATIENT) for user in users
        )
        Prescription.objects.bulk_create(
            Prescription(clinic=clinic, patient=user, routine=routine, days_per_week=3)
            for user in users
            if rnd.random() < 0.8
        )
        checkins, sessions = [], []
        for user in users:
            base = rnd.randint(1, 7)
            for back in range(DAYS):
                # The day counts back from today; the moment may fall a few hours before it
                # (just after midnight, two `back`s would otherwise share a day).
                day = (now - timedelta(days=back)).date()
                moment = now - timedelta(days=back, hours=rnd.randint(0, 3))
                if rnd.random() < 0.9:  # most mornings
                    checkins.append(
                        CheckIn(
                            user=user,
                            client_id=uuid.uuid4(),
                            date=day,
                            first_step_pain=max(0, min(10, base + rnd.randint(-2, 2))),
                            answered_at=moment,
                            numbness=rnd.random() < 0.004,
                            rest_pain=rnd.random() < 0.004,
                        )
                    )
                if back % 7 in (0, 2, 4) and rnd.random() < 0.7:
                    started = moment - timedelta(hours=10)
                    sessions.append(
                        SessionLog(
                            client_id=uuid.uuid4(),
                            user=user,
                            routine_version=routine.current_version,
                            started_at=started,
                            ended_at=started + timedelta(minutes=25),
                        )
                    )
        CheckIn.objects.bulk_create(checkins, batch_size=5000)
        SessionLog.objects.bulk_create(sessions, batch_size=5000)
