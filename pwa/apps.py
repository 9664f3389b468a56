from __future__ import annotations

from django.apps import AppConfig


class PwaConfig(AppConfig):
    name = "pwa"
    verbose_name = "App pages"
