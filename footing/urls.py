from __future__ import annotations

from django.contrib import admin
from django.urls import include, path

from api.v1 import api
from pwa.views.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("accounts/", include("accounts.urls")),
    path("clinic/", include("clinic.urls")),
    path("", include("clinic.patient_urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("pwa.urls")),
]
