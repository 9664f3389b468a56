from __future__ import annotations

from django.apps import AppConfig


class SelfCheckConfig(AppConfig):
    name = "selfcheck"
    verbose_name = "Self-check"
