"""The patient's and runner's side of the clinic: invitation links and "book a time"."""

from __future__ import annotations

from django.urls import path

from clinic import patient_views

app_name = "care"

urlpatterns = [
    path("join/<str:code>/", patient_views.join, name="join"),
    path("book/", patient_views.book, name="book"),
]
