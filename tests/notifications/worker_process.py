"""`python -m tests.notifications.worker_process [worker options]`: the real `manage.py
worker`, allowed to reach the test's local fake push service on 127.0.0.1.

The loopback policy is set here, in test code, exactly as the in-process tests set it:
no setting or environment variable can turn it on in a real deployment.
"""

from __future__ import annotations

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "footing.settings")
django.setup()

from django.core.management import call_command  # noqa: E402

from notifications import transport  # noqa: E402
from tests.notifications.fakes import LOOPBACK  # noqa: E402

transport.NETWORK = LOOPBACK
call_command("worker", *sys.argv[1:])
