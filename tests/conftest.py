from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from notifications import endpoints
from tests.content_snapshot import ContentSnapshot
from tests.factories import write_content

# No property is timed: Hypothesis's default 200 ms deadline per example failed
# tests/selfcheck/test_evaluator.py once at load 15 (353 ms for a pure walk), a busy
# machine and not a broken rule. Tests that set their own settings keep this default.
hypothesis_settings.register_profile("suite", deadline=None)
hypothesis_settings.load_profile("suite")


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
