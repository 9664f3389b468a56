"""The clinic's staff pages, mounted at /clinic/. Every view here is behind
`clinician_required` (tests/clinic/test_permissions.py walks this list)."""

from __future__ import annotations

from django.urls import path

from pwa.views import clinic

app_name = "clinic"

urlpatterns = [
    path("", clinic.dashboard, name="dashboard"),
    path("patients/<int:patient_id>/", clinic.patient_detail, name="patient"),
    path("patients/<int:patient_id>/export.csv", clinic.patient_export, name="patient_export"),
    path(
        "patients/<int:patient_id>/prescriptions/",
        clinic.prescription_add,
        name="prescription_add",
    ),
    path(
        "prescriptions/<int:prescription_id>/", clinic.prescription_edit, name="prescription_edit"
    ),
    path(
        "prescriptions/<int:prescription_id>/end/",
        clinic.prescription_end,
        name="prescription_end",
    ),
    path("routines/", clinic.routine_list, name="routines"),
    path("routines/<slug:slug>/", clinic.routine_edit, name="routine_edit"),
    path("routines/<slug:slug>/publish/", clinic.routine_publish, name="routine_publish"),
    path(
        "routines/<slug:slug>/versions/<int:old>...<int:new>/",
        clinic.routine_diff,
        name="routine_diff",
    ),
    path("invitations/", clinic.invitations, name="invitations"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        clinic.invitation_revoke,
        name="invitation_revoke",
    ),
    path("appointments/", clinic.appointments, name="appointments"),
    path(
        "appointments/<int:request_id>/status/",
        clinic.appointment_status,
        name="appointment_status",
    ),
]
