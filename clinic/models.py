"""The staff side: clinics, who belongs to them, their own routines, what patients are
prescribed, and the ways a clinic reaches its patients (invitations, appointment
requests). Push subscriptions are `notifications`' own: anyone logged in can turn them on.

The library (the content files) is shared by every clinic and read-only; a clinic's own
routines are library rows of kind "clinic" that this app records as the clinic's
(`ClinicRoutine`) and scopes every read and write by.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from library.models import Exercise, Routine


class Clinic(models.Model):
    slug = models.SlugField(unique=True)
    name = models.CharField(max_length=120)
    # Shown to its patients as a tap-to-call link beside every red-flag triage.
    phone = models.CharField(max_length=32, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class ClinicRoutine(models.Model):
    """A routine that belongs to one clinic: only its staff edit it, only its staff and
    patients see it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="routines")
    routine = models.OneToOneField(Routine, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["clinic", "routine__title"]

    def __str__(self) -> str:
        return f"{self.routine_id} of {self.clinic}"


class Role(models.TextChoices):
    CLINICIAN = "clinician", "Clinician"
    PATIENT = "patient", "Patient"


class Membership(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=10, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)
    # A patient's standing with the clinic's alerts, so the patient list sorts without
    # reading history: red flags received up to this instant are handled (the latest
    # RedFlagReview's `through`), and "no check-in" stays quiet up to this day (the
    # latest CheckinSnooze). clinic.services writes each beside its history row.
    flags_handled_through = models.DateTimeField(null=True, blank=True)
    quiet_until = models.DateField(null=True, blank=True)

    class Meta:
        ordering = ["clinic", "user__username"]
        constraints = [
            # One role per person: a clinic's clinician is never also its patient, and a
            # patient belongs to one clinic, so "whose patient is this?" has one answer.
            models.UniqueConstraint(fields=["user"], name="membership_one_per_user"),
        ]

    def __str__(self) -> str:
        return f"membership {self.pk}: user {self.user_id} ({self.role}) at clinic {self.clinic_id}"


class Invitation(models.Model):
    """A single-use code (also sent as a link) that turns a new account into a patient."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    code = models.CharField(max_length=16, unique=True)
    # Who it is for, so the clinician recognises it in the list; never shown to others.
    label = models.CharField(max_length=120, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation_used",
    )
    used_at = models.DateTimeField(null=True, blank=True)
    revoked = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"invitation {self.pk} of clinic {self.clinic_id}"


class Prescription(models.Model):
    # No index of its own: the (clinic, patient) index below serves the clinic's reads.
    clinic = models.ForeignKey(
        Clinic, on_delete=models.CASCADE, related_name="prescriptions", db_index=False
    )
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="prescriptions"
    )
    # The routine, not a version: the patient always plays the newest published version.
    routine = models.ForeignKey(Routine, on_delete=models.PROTECT, related_name="+")
    days_per_week = models.PositiveSmallIntegerField()
    note = models.CharField(max_length=500, blank=True)
    active = models.BooleanField(default=True)
    # The newest version of the routine this patient has been told about: a newer one is
    # "Your routine was updated: <changelog>" until they have seen it once.
    seen_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-active", "-created_at"]
        indexes = [
            # A patient's prescriptions at a clinic: the patient list reads them for each
            # row (and, sorting by routine, for every patient). With the clinic's index
            # alone SQLite read all of the clinic's prescriptions once per patient.
            models.Index(fields=["clinic", "patient"], name="prescription_clinic_patient"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["patient", "routine"],
                condition=models.Q(active=True),
                name="prescription_one_active_per_routine",
            ),
            models.CheckConstraint(
                name="prescription_days_1_7",
                condition=models.Q(days_per_week__gte=1, days_per_week__lte=7),
            ),
        ]

    def __str__(self) -> str:
        return f"prescription {self.pk}: routine {self.routine_id} for user {self.patient_id}"


class DoseOverride(models.Model):
    """This patient's dose for one exercise of the prescribed routine; empty = the routine's."""

    prescription = models.ForeignKey(
        Prescription, on_delete=models.CASCADE, related_name="overrides"
    )
    exercise = models.ForeignKey(Exercise, on_delete=models.PROTECT, related_name="+")
    sets = models.PositiveSmallIntegerField(null=True, blank=True)
    reps = models.PositiveSmallIntegerField(null=True, blank=True)
    hold_seconds = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["prescription", "exercise"], name="dose_override_one_per_exercise"
            ),
            models.CheckConstraint(
                name="dose_override_says_something",
                condition=models.Q(sets__isnull=False)
                | models.Q(reps__isnull=False)
                | models.Q(hold_seconds__isnull=False),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.prescription_id}: {self.exercise_id}"


class AppointmentStatus(models.TextChoices):
    NEW = "new", "New"
    CONTACTED = "contacted", "Contacted"
    BOOKED = "booked", "Booked"
    CLOSED = "closed", "Closed"


class AppointmentRequest(models.Model):
    """The article's "book a time": a request the clinic answers by phone or email."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="appointments")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="appointment_requests"
    )
    reason = models.TextField(max_length=1000)
    preferred_times = models.CharField(max_length=300)
    contact = models.CharField(max_length=200)
    status = models.CharField(
        max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.NEW
    )
    # The clinic's answer, shown to the patient beside the status.
    reply = models.TextField(max_length=1000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)
    replied_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "status", "-created_at"])]

    def __str__(self) -> str:
        return f"appointment request {self.pk}: user {self.user_id} to clinic {self.clinic_id}"


class PatientNote(models.Model):
    """A clinician's note on a patient: the clinic's own record. Only that clinic's staff
    read it (and its CSV); the patient never sees it."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    body = models.TextField(max_length=2000)
    created_at = models.DateTimeField()

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "patient", "-created_at"])]

    def __str__(self) -> str:
        return f"note {self.pk} on user {self.patient_id}"


class RedFlagReview(models.Model):
    """A clinician marked a patient's waiting red flags handled. It closes the flagged
    check-ins the server had received by `through` (the newest one the clinician was
    shown, so a flag arriving while they read is not closed unseen); a flag that arrives,
    or is added to a check-in, later waits again. `flags` keeps what it closed."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    handled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    handled_at = models.DateTimeField()
    through = models.DateTimeField()
    note = models.CharField(max_length=500, blank=True)
    # [{"day": "2026-12-01", "flags": ["numbness", ...]}, ...], newest day first.
    flags = models.JSONField(default=list)

    class Meta:
        ordering = ["-handled_at"]
        indexes = [models.Index(fields=["clinic", "patient", "-handled_at"])]

    def __str__(self) -> str:
        return f"red-flag review {self.pk} of user {self.patient_id}"


class CheckinSnooze(models.Model):
    """ "No check-in for N days" quietened for a patient up to a day (a holiday, a pause
    agreed with the clinic). Kept after it ends, as history."""

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="+")
    patient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+"
    )
    snoozed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField()
    until = models.DateField()  # the last day it stays quiet, on the patient's calendar
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["clinic", "patient", "-until"])]

    def __str__(self) -> str:
        return f"check-in snooze {self.pk} of user {self.patient_id}"
