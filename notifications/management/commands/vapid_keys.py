"""`manage.py vapid_keys`: a new Web Push (VAPID) key pair to put in the environment."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from notifications.vapid import keys_generate


class Command(BaseCommand):
    help = (
        "Print a new VAPID key pair. Set VAPID_PRIVATE_KEY in the server's environment "
        "(the public key is derived from it; it is printed for reference). Changing the "
        "key invalidates every existing push subscription."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        private, public = keys_generate()
        self.stdout.write(f"VAPID_PRIVATE_KEY={private}")
        self.stdout.write(f"# public key (derived): {public}")
