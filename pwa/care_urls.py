"""The patient's and runner's side of the clinic: invitation links and "book a time"."""

from __future__ import annotations

from django.urls import path

from pwa.views import care

app_name = "care"

urlpatterns = [
    path("join/<str:code>/", care.join, name="join"),
    path("joined/", care.joined, name="joined"),
    path("book/", care.book, name="book"),
]
