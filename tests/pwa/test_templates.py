"""The templates as files: what Django would print that nobody meant to show."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

TEMPLATES = Path(settings.BASE_DIR) / "templates"


def test_no_comment_tag_spans_lines() -> None:
    """Django's {# … #} is one line only: one that goes on is printed as text, on the page
    (the check-in showed its own note to the runner). Longer ones are {% comment %}."""
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        for number, line in enumerate(path.read_text().splitlines(), start=1):
            if line.count("{#") > line.count("#}"):
                found.append(f"{path.relative_to(TEMPLATES)}:{number}: {line.strip()}")
    assert not found, "\n".join(found)
