"""The clinic's staff pages, mounted at /clinic/. Every view here is behind
`clinician_required` (tests/clinic/test_permissions.py walks this list)."""

from __future__ import annotations

from django.urls import path

from pwa.views.clinic import (
    appointments,
    invitations,
    patients,
    phone,
    prescriptions,
    return_to_run,
    routines,
)

app_name = "clinic"

urlpatterns = [
    path("", patients.dashboard, name="dashboard"),
    path("phone/", phone.phone_set, name="phone"),
    path("patients/<int:patient_id>/", patients.patient_detail, name="patient"),
    path("patients/<int:patient_id>/export.csv", patients.patient_export, name="patient_export"),
    path(
        "patients/<int:patient_id>/return-to-running/",
        return_to_run.clinician_set,
        name="return_to_run",
    ),
    path(
        "patients/<int:patient_id>/red-flags/handled/",
        patients.red_flags_handled,
        name="red_flags_handled",
    ),
    path("patients/<int:patient_id>/snooze/", patients.snooze, name="snooze"),
    path("patients/<int:patient_id>/snooze/end/", patients.snooze_end, name="snooze_end"),
    path("patients/<int:patient_id>/notes/", patients.note_add, name="note_add"),
    path(
        "patients/<int:patient_id>/prescriptions/",
        prescriptions.prescription_add,
        name="prescription_add",
    ),
    path(
        "prescriptions/<int:prescription_id>/",
        prescriptions.prescription_edit,
        name="prescription_edit",
    ),
    path(
        "prescriptions/<int:prescription_id>/end/",
        prescriptions.prescription_end,
        name="prescription_end",
    ),
    path("routines/", routines.routine_list, name="routines"),
    path("routines/new/", routines.routine_new, name="routine_new"),
    path("routines/<slug:slug>/", routines.routine_edit, name="routine_edit"),
    path("routines/<slug:slug>/copy/", routines.routine_copy, name="routine_copy"),
    path("routines/<slug:slug>/publish/", routines.routine_publish, name="routine_publish"),
    path(
        "routines/<slug:slug>/versions/<int:old>...<int:new>/",
        routines.routine_diff,
        name="routine_diff",
    ),
    path("invitations/", invitations.invitations, name="invitations"),
    path("invitations/<int:invitation_id>/", invitations.invitation_share, name="invitation_share"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        invitations.invitation_revoke,
        name="invitation_revoke",
    ),
    path("appointments/", appointments.appointments, name="appointments"),
    path(
        "appointments/<int:request_id>/status/",
        appointments.appointment_status,
        name="appointment_status",
    ),
    path(
        "appointments/<int:request_id>/reply/",
        appointments.appointment_reply,
        name="appointment_reply",
    ),
]
