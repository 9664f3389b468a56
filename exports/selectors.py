"""A person's whole data export: everything Footing holds about them, app by app.

Both download formats live here: `export_as_json` (everything) and `checkins_as_csv` (the
check-ins as a spreadsheet, columns `CHECKIN_CSV_COLUMNS`); the page only streams them.

This app sits at the top of the domain layer: it reads every other domain app, each
through that app's own selectors, and nothing reads it but the pages. Sections come out
one at a time and lists row by row, so a download is streamed, never built whole.

`HOLDS` says which section carries each table that points at a person, and `NOT_HELD`
which such tables stay out and why; tests/exports/test_export.py fails for a table that
points at a user and is in neither, so nothing new can be left out of the export unseen.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from django.contrib.auth.models import User
from django.utils import timezone

from accounts.selectors import account_as_dict, profile_as_dict
from clinic.selectors.person import (
    appointment_requests_of,
    invitation_used_by,
    memberships_of,
    prescriptions_of,
)
from footing.streaming import csv_chunks, json_chunks
from journal.selectors import checkin_as_dict, checkin_list, return_to_run_as_dict
from library.selectors import saved_routines_of
from notifications.selectors import notices_as_rows, push_subscriptions_of
from reminders.selectors import routine_reminder_as_dict
from selfcheck.selectors import selfcheck_result_as_dict, selfcheck_results
from training.selectors import session_as_dict, session_list

# Rows are read from the database in chunks of this many (lists of any length stream).
CHUNK = 500

# (table, its column that names the person) → the export section that holds those rows.
HOLDS: dict[tuple[str, str], str] = {
    ("auth.User", "id"): "account",
    ("accounts.Profile", "user"): "profile",
    ("journal.CheckIn", "user"): "checkins",
    ("journal.ReturnToRun", "user"): "return_to_running",
    ("training.SessionLog", "user"): "sessions",
    ("selfcheck.SelfCheckResult", "user"): "selfcheck_results",
    ("clinic.Membership", "user"): "clinic_memberships",
    ("clinic.Invitation", "used_by"): "clinic_invitation",
    ("clinic.Prescription", "patient"): "prescriptions",
    ("clinic.AppointmentRequest", "user"): "appointment_requests",
    ("library.SavedRoutine", "user"): "saved_routines",
    ("notifications.PushSubscription", "user"): "push_subscriptions",
    ("notifications.Notice", "user"): "notifications",
    ("reminders.RoutineReminder", "user"): "routine_reminder",
}
# Tables that point at a person but are not theirs to take away, and why.
NOT_HELD: dict[tuple[str, str], str] = {
    ("clinic.Invitation", "created_by"): (
        "the clinician who made an invitation for someone else: the clinic's record of "
        "its own work, about the invitee (who gets it in their export)"
    ),
    ("clinic.Prescription", "created_by"): (
        "the clinician who wrote a patient's prescription: the clinic's record, about the "
        "patient (who gets it in their export)"
    ),
    ("admin.LogEntry", "user"): "the admin's audit trail of what staff changed and when",
    ("library.Routine", "draft_saved_by"): (
        "the clinician who last saved a clinic routine's draft: the clinic's record of its "
        "own work on its content, about no patient"
    ),
    ("library.RoutineVersion", "published_by"): (
        "the clinician who published a version of a clinic routine: the clinic's record of "
        "its content, about no patient"
    ),
    ("clinic.ClinicRoutine", "created_by"): (
        "the clinician who copied or built one of the clinic's routines: the clinic's "
        "record of its content, about no patient"
    ),
    ("journal.ReturnToRun", "changed_by"): (
        "the clinician (or the runner) who last moved someone's return-to-running stage: "
        "about that runner, who gets the row in their export"
    ),
    ("clinic.AppointmentRequest", "replied_by"): (
        "the clinician who replied: the reply itself is in the asker's export"
    ),
    ("clinic.PatientNote", "patient"): (
        "a clinician's notes on a patient are the clinic's own clinical record, kept from "
        "the patient by design (issue 16); the clinic's patient CSV carries them"
    ),
    ("clinic.PatientNote", "author"): "the clinician who wrote a note: the clinic's record",
    ("clinic.RedFlagReview", "patient"): (
        "when the clinic marked a patient's red flags handled: the clinic's record of its "
        "work (in its patient CSV); the flags themselves are in the check-ins"
    ),
    ("clinic.RedFlagReview", "handled_by"): "the clinician who handled them: the clinic's record",
    ("clinic.CheckinSnooze", "patient"): (
        "the clinic quietening its own 'no check-in' alert: the clinic's record of its work"
    ),
    ("clinic.CheckinSnooze", "snoozed_by"): "the clinician who snoozed it: the clinic's record",
}


def export_sections(*, user: User) -> Iterator[tuple[str, Any]]:
    """(section, plain data) in order; a list section is an iterator of rows."""
    yield "exported_at", timezone.now().isoformat()
    yield "account", account_as_dict(user=user)
    yield "profile", profile_as_dict(user=user)
    yield "checkins", _rows(checkin_list(user=user).order_by("-date"), checkin_as_dict)
    yield "return_to_running", return_to_run_as_dict(user=user)
    yield "sessions", _rows(session_list(user=user), session_as_dict)
    yield "selfcheck_results", _rows(selfcheck_results(user=user), selfcheck_result_as_dict)
    yield "clinic_memberships", memberships_of(user=user)
    yield "clinic_invitation", invitation_used_by(user=user)
    yield "prescriptions", prescriptions_of(user=user)
    yield "appointment_requests", appointment_requests_of(user=user)
    yield "push_subscriptions", push_subscriptions_of(user=user)
    yield "saved_routines", saved_routines_of(user=user)
    yield "notifications", notices_as_rows(user=user)
    yield "routine_reminder", routine_reminder_as_dict(user=user)


def account_export(*, user: User) -> dict[str, Any]:
    """The whole export as one dictionary (for callers that want it in memory)."""
    return {
        name: list(value) if isinstance(value, Iterator) else value
        for name, value in export_sections(user=user)
    }


def export_as_json(*, user: User) -> Iterator[str]:
    """The whole export as JSON text, written out section by section."""
    return json_chunks(export_sections(user=user))


# The spreadsheet's columns, in order: one row per morning (the JSON has everything).
CHECKIN_CSV_COLUMNS = [
    "date",
    "first_step_pain",
    "locations",
    "stiffness_minutes",
    "activity",
    "distance_km",
    "pain_during",
    "pain_after",
    "red_flags",
    "answered_at",
    "client_id",
]


def checkins_as_csv(*, user: User) -> Iterator[str]:
    """The check-ins alone as CSV lines, newest first; a list answer (where it hurt, the
    warning signs) is one cell of space-separated words."""
    rows = (
        row | {"locations": " ".join(row["locations"]), "red_flags": " ".join(row["red_flags"])}
        for row in _rows(checkin_list(user=user).order_by("-date"), checkin_as_dict)
    )
    return csv_chunks(CHECKIN_CSV_COLUMNS, rows)


def _rows(queryset: Any, as_dict: Any) -> Iterator[dict[str, Any]]:
    items: Iterable[Any] = queryset.iterator(chunk_size=CHUNK)
    for item in items:
        yield as_dict(item)
