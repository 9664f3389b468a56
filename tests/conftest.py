from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from tests.factories import write_content


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """A small valid content folder: one condition, one exercise, one routine."""
    return write_content(tmp_path / "content")


@pytest.fixture
def clinic_content(db: None) -> None:
    """The clinic's real content, loaded as `make run` loads it."""
    call_command("load_content", path=settings.CONTENT_DIR, stdout=StringIO())
