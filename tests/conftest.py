from __future__ import annotations

from pathlib import Path

import pytest

from notifications import endpoints
from tests.content_snapshot import ContentSnapshot
from tests.factories import write_content


@pytest.fixture(autouse=True)
def _no_dns(monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests never look names up on the network: every push host "resolves" to one public
    address (tests of the address rules pass their own resolver)."""
    monkeypatch.setattr(endpoints, "resolve", lambda host, port: ["142.250.74.106"])


@pytest.fixture
def content_root(tmp_path: Path) -> Path:
    """A small valid content folder: one condition, one exercise, one routine."""
    return write_content(tmp_path / "content")


@pytest.fixture
def clinic_content(db: None, content_snapshot: ContentSnapshot) -> None:
    """The clinic's real content, as `make run` loads it (loaded once per session)."""
    content_snapshot.restore()
