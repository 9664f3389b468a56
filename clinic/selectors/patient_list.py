"""The clinic's list of its patients: who needs a call first, and how each is doing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Count, Max

from clinic.models import Membership, Prescription, Role
from clinic.selectors.patient_page import FLAG_LABELS
from clinic.sparkline import Spark, sparkline
from journal.models import CheckIn
from training.models import SessionLog

SPARK_DAYS = 14
RED_FLAG_DAYS = 7


@dataclass(frozen=True)
class FlagSeen:
    day: date
    label: str


@dataclass(frozen=True)
class PatientRow:
    user_id: int
    name: str
    joined: datetime
    last_checkin: date | None
    last_pain: int | None
    flags: list[FlagSeen]
    spark: Spark
    sessions_week: int
    prescribed_week: int

    @property
    def behind(self) -> bool:
        return self.sessions_week < self.prescribed_week


def dashboard(*, membership: Membership, today: date, now: datetime) -> list[PatientRow]:
    """The clinic's patients: anyone with a red flag in the last 7 days first (newest flag
    first), then by last check-in (most recent first; never checked in last). Five queries
    whatever the number of patients."""
    patients = list(
        Membership.objects.filter(clinic=membership.clinic, role=Role.PATIENT)
        .select_related("user")
        .order_by("user__username")
    )
    ids = [p.user_id for p in patients]
    since = today - timedelta(days=SPARK_DAYS - 1)
    recent: dict[int, list[CheckIn]] = {}
    for checkin in CheckIn.objects.filter(user_id__in=ids, date__gte=since).order_by("date"):
        recent.setdefault(checkin.user_id, []).append(checkin)
    last = dict(
        CheckIn.objects.filter(user_id__in=ids)
        .values("user_id")
        .annotate(last=Max("date"))
        .values_list("user_id", "last")
    )
    sessions = dict(
        SessionLog.objects.filter(user_id__in=ids, started_at__gte=now - timedelta(days=7))
        .values("user_id")
        .annotate(n=Count("id"))
        .values_list("user_id", "n")
    )
    prescribed: dict[int, int] = {}
    for user_id, days in Prescription.objects.filter(
        clinic=membership.clinic, active=True, patient_id__in=ids
    ).values_list("patient_id", "days_per_week"):
        prescribed[user_id] = prescribed.get(user_id, 0) + days

    rows = []
    flag_since = today - timedelta(days=RED_FLAG_DAYS - 1)
    for patient in patients:
        checkins = recent.get(patient.user_id, [])
        by_day = {c.date: c.first_step_pain for c in checkins}
        flags = [
            FlagSeen(c.date, FLAG_LABELS[name])
            for c in reversed(checkins)
            if c.date >= flag_since
            for name in FLAG_LABELS
            if getattr(c, name)
        ]
        rows.append(
            PatientRow(
                user_id=patient.user_id,
                name=patient.user.get_username(),
                joined=patient.created_at,
                last_checkin=last.get(patient.user_id),
                last_pain=checkins[-1].first_step_pain if checkins else None,
                flags=flags,
                spark=sparkline([by_day.get(since + timedelta(days=n)) for n in range(SPARK_DAYS)]),
                sessions_week=sessions.get(patient.user_id, 0),
                prescribed_week=prescribed.get(patient.user_id, 0),
            )
        )
    return sorted(rows, key=_urgency)


def _urgency(row: PatientRow) -> tuple[int, int, str]:
    newest_flag = row.flags[0].day.toordinal() if row.flags else 0
    last = row.last_checkin.toordinal() if row.last_checkin else 0
    return (0 if row.flags else 1, -(newest_flag or last), row.name)
