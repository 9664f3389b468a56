from __future__ import annotations

from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from api.v1 import api
from pwa.views.health import healthz
from pwa.views.photos import exercise_photo_file

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("pwa.accounts_urls")),
    path("clinic/", include("pwa.clinic_urls")),
    path("", include("pwa.care_urls")),
    path("healthz", healthz, name="healthz"),
    # Uploaded exercise photos (MEDIA_URL): content-hashed names, cached forever.
    path(
        f"{settings.MEDIA_URL.strip('/')}/exercise-photos/<str:name>",
        exercise_photo_file,
        name="exercise_photo",
    ),
    path("", include("pwa.urls")),
]
