"""The clinic's staff pages, mounted at /clinic/. Every view here is behind
`clinician_required` (tests/clinic/test_permissions.py walks this list)."""

from __future__ import annotations

from django.urls import path

from clinic import views

app_name = "clinic"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("patients/<int:patient_id>/", views.patient_detail, name="patient"),
    path("patients/<int:patient_id>/export.csv", views.patient_export, name="patient_export"),
    path(
        "patients/<int:patient_id>/prescriptions/",
        views.prescription_add,
        name="prescription_add",
    ),
    path("prescriptions/<int:prescription_id>/", views.prescription_edit, name="prescription_edit"),
    path(
        "prescriptions/<int:prescription_id>/end/",
        views.prescription_end,
        name="prescription_end",
    ),
    path("routines/", views.routine_list, name="routines"),
    path("routines/<slug:slug>/", views.routine_edit, name="routine_edit"),
    path("routines/<slug:slug>/publish/", views.routine_publish, name="routine_publish"),
    path(
        "routines/<slug:slug>/versions/<int:old>...<int:new>/",
        views.routine_diff,
        name="routine_diff",
    ),
    path("invitations/", views.invitations, name="invitations"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("appointments/", views.appointments, name="appointments"),
    path(
        "appointments/<int:request_id>/status/",
        views.appointment_status,
        name="appointment_status",
    ),
]
