"""Shared by tests/ and e2e/: make sure the hashed static files exist.

`make test` builds them first; this keeps a bare `pytest` run working too.
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.core.management import call_command


@pytest.fixture(scope="session", autouse=True)
def _static_files_built() -> None:
    if not (settings.STATIC_ROOT / "staticfiles.json").exists():
        call_command("collectstatic", interactive=False, verbosity=0)
