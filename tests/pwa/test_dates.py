"""Dates one way (docs/words.md): the pages' filters (footing/dates.py) and the
JavaScript's formatter (static/js/dates.js) write every date alike, in the person's zone,
and nothing else formats a date for people."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from django.template import Context, Template
from django.utils import timezone

from footing import dates

ROOT = Path(__file__).resolve().parents[2]
ZONES = ["UTC", "Europe/London", "America/Los_Angeles", "Pacific/Auckland", "Asia/Kolkata"]
FORMATS = ("day_month", "day", "moment", "dated", "clock")
JS_NAMES = {
    "day_month": "formatDayMonth",
    "day": "formatDay",
    "moment": "formatMoment",
    "dated": "formatDated",
    "clock": "formatClock",
}


def samples(count: int = 80) -> list[datetime]:
    """Moments around now and years away, every month and hour, both sides of midnight."""
    rng = random.Random(18)
    now = datetime.now(UTC)
    spans = [timedelta(hours=6), timedelta(days=40), timedelta(days=400), timedelta(days=3000)]
    picked = [now, now - timedelta(days=1)]
    while len(picked) < count:
        span = rng.choice(spans)
        seconds = rng.uniform(-span.total_seconds(), span.total_seconds())
        picked.append((now + timedelta(seconds=seconds)).replace(microsecond=0))
    picked += [datetime(2026, 9, 5, 23, 30, tzinfo=UTC), datetime(2025, 12, 31, 23, 59, tzinfo=UTC)]
    return picked


def in_node(zone: str, moments: list[datetime]) -> list[dict[str, str]]:
    script = (
        'import * as d from "./static/js/dates.js";'
        "const moments = JSON.parse(process.argv[1]);"
        "console.log(JSON.stringify(moments.map((iso) => ({"
        + ",".join(f"{name}: d.{js}(iso)" for name, js in JS_NAMES.items())
        + "}))));"
    )
    assert shutil.which("node"), "node writes the JavaScript's dates: `make test` installs it"
    done = subprocess.run(
        ["node", "--input-type=module", "-e", script, json.dumps([m.isoformat() for m in moments])],
        cwd=ROOT,
        env={"TZ": zone, "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


@pytest.mark.parametrize("zone", ZONES)
def test_the_pages_and_the_javascript_write_every_date_alike(zone: str) -> None:
    moments = samples()
    written = in_node(zone, moments)

    with timezone.override(ZoneInfo(zone)):
        for moment, js in zip(moments, written, strict=True):
            server = {name: getattr(dates, name)(moment) for name in FORMATS}
            assert server == js, moment.isoformat()


def test_the_words_follow_the_style_list() -> None:
    this_year = timezone.localdate().year
    moment = datetime(this_year, 12, 1, 7, 55, tzinfo=UTC)
    last_year = datetime(this_year - 1, 9, 5, 18, 4, tzinfo=UTC)
    with timezone.override(UTC):
        assert dates.day(moment) == f"{dates.WEEKDAYS[moment.weekday()]} 1 Dec"
        assert dates.moment(moment).endswith(" 1 Dec, 07:55")
        assert dates.day_month(moment) == "1 Dec"
        assert dates.dated(moment) == f"1 Dec {this_year}"  # a version's date: always the year
        assert dates.day(last_year).endswith(f" 5 Sept {this_year - 1}")  # not this year
        assert dates.clock(time(6, 5)) == "06:05"
        assert dates.day(date(this_year, 12, 1)).endswith(" 1 Dec")
        assert dates.day(None) == ""


def test_a_moment_reads_in_the_persons_own_zone() -> None:
    evening_in_la = datetime(2026, 12, 2, 3, 30, tzinfo=UTC)  # 19:30 on 1 Dec there
    with timezone.override(ZoneInfo("America/Los_Angeles")):
        assert dates.moment(evening_in_la) == "Tue 1 Dec, 19:30"
    with timezone.override(ZoneInfo("Pacific/Auckland")):
        assert dates.moment(evening_in_la) == "Wed 2 Dec, 16:30"


@pytest.mark.django_db
def test_pages_declare_the_locale_both_sides_write_in(client) -> None:
    """dates.js writes in <html lang>: en-GB, the words footing/dates.py writes."""
    assert '<html lang="en-GB">' in client.get("/offline/").text


def test_every_template_has_the_filters() -> None:
    rendered = Template("{{ when|moment }} · {{ when|dated }} · {{ when|clock }}").render(
        Context({"when": datetime(2026, 12, 1, 7, 55, tzinfo=UTC)})
    )
    with timezone.override(UTC):
        assert rendered.endswith("1 Dec 2026 · 07:55")


# --- Nothing else writes a date for people ----------------------------------------------
MACHINE_FORMATS = {"Y-m-d", "c", "U"}  # for forms, data attributes and the API, not people


def test_templates_write_dates_only_through_the_filters() -> None:
    found = []
    for path in (ROOT / "templates").rglob("*.html"):
        for match in re.finditer(r"\|(date|time)\b(?::\s*['\"]([^'\"]*)['\"])?", path.read_text()):
            if match.group(2) not in MACHINE_FORMATS:
                found.append(f"{path.relative_to(ROOT)}: {match.group(0)}")
    assert found == []


def test_javascript_writes_dates_only_through_dates_js() -> None:
    formatting = re.compile(r"toLocale(Date|Time)?String|Intl\.DateTimeFormat|\.toUTCString\(")
    found = [
        str(path.relative_to(ROOT))
        for path in (ROOT / "static" / "js").glob("*.js")
        if path.name != "dates.js" and formatting.search(path.read_text())
    ]
    # accounts.js asks Intl for the phone's zone name; triage-today.js's localDay is the
    # machine day (YYYY-MM-DD, en-CA's order) that check-ins are filed under. Neither
    # writes a date for people.
    assert sorted(found) == ["static/js/accounts.js", "static/js/triage-today.js"]
    assert "resolvedOptions().timeZone" in (ROOT / "static/js/accounts.js").read_text()
    assert 'Intl.DateTimeFormat("en-CA"' in (ROOT / "static/js/triage-today.js").read_text()


def test_python_writes_dates_for_people_only_through_footing_dates() -> None:
    display = re.compile(r":%-?[aAbBdHMjY]|strftime\(|date_format\(|%[-]?[HdbY][:/ -]%")
    found = []
    for app in APPS:
        for path in (ROOT / app).rglob("*.py"):
            if "migrations" in path.parts or path == ROOT / "footing" / "dates.py":
                continue
            for number, line in enumerate(path.read_text().splitlines(), 1):
                if display.search(line) and "format=" not in line:  # a form's input format
                    found.append(f"{path.relative_to(ROOT)}:{number}")
    assert found == []


APPS = [
    "accounts", "api", "clinic", "exports", "footing", "journal", "library",
    "notifications", "pwa", "reminders", "selfcheck", "training",
]  # fmt: skip
