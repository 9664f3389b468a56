from __future__ import annotations

from django.apps import AppConfig
from django.core.signals import request_finished, request_started

from footing.db import close_leaked_transactions


class FootingConfig(AppConfig):
    name = "footing"
    verbose_name = "Footing"

    def ready(self) -> None:
        # Beside Django's own close_old_connections, at the same two moments.
        request_started.connect(close_leaked_transactions)
        request_finished.connect(close_leaked_transactions)
