"""The suite's own rules (STYLE.md 18): tests wait on conditions, never on time, and no
skip can turn a regression into a quiet "s". Waiting lives in one helper, tests/waiting.py
(and e2e.conftest.poll_page); a missing prerequisite is made certain instead (make test
installs node, the session builds illustrations)."""

from __future__ import annotations

import re
from pathlib import Path

from django.conf import settings

ROOT = Path(settings.BASE_DIR)
WAITING = ROOT / "tests" / "waiting.py"
FORBIDDEN = {
    "a sleep": re.compile(r"\btime\.sleep\(|\bsleep\(|\.wait_for_timeout\("),
    "a skip": re.compile(r"pytest\.skip\(|\.skipif\(|mark\.skip\b|pytest\.importorskip\("),
}


def test_no_test_waits_on_time_or_skips() -> None:
    found = []
    for path in sorted([*(ROOT / "tests").rglob("*.py"), *(ROOT / "e2e").rglob("*.py")]):
        if path in (WAITING, Path(__file__)):
            continue
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            for what, pattern in FORBIDDEN.items():
                if pattern.search(line):
                    found.append(f"{path.relative_to(ROOT)}:{number}: {what}: {line.strip()}")
    assert not found, "\n".join(found)
