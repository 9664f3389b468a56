"""The patient list's rows, written in Python (pwa/views/clinic/patient_rows.py), are the
markup the template wrote before. The former `{% for %}` loop of clinic/dashboard.html is
kept beside this file (patient_rows_reference.html) as the reference, and both render the
same random rows (names and labels with markup characters, 0 to 5 flagged mornings,
quiet, snoozed, never checked in, with and without a phone, a routine, a sparkline) to
the same bytes, in a clinician's time zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.template import engines
from django.utils import timezone
from django.utils.html import format_html
from hypothesis import given, settings
from hypothesis import strategies as st

from accounts.selectors import tel_link
from clinic.selectors.attention import FlagWaiting, Silence
from clinic.selectors.patient_list import PatientRow
from clinic.sparkline import sparkline
from journal.advice import Trend
from pwa.views.clinic.patient_rows import rows_html

REFERENCE = (Path(__file__).parent / "patient_rows_reference.html").read_text()

TODAY = date(2026, 12, 1)
text = st.text(alphabet="Aa é<>&\"'·;", min_size=0, max_size=12)
moment = st.datetimes(
    min_value=datetime(2026, 10, 1), max_value=datetime(2026, 12, 1), timezones=st.just(UTC)
)


@st.composite
def rows(draw: st.DrawFn) -> PatientRow:
    user_id = draw(st.integers(1, 10**6))
    name = draw(text) or "Pat"
    phone = draw(st.sampled_from(["", "+44 7700 900123", "(020) 7946-0000", "<b>"]))
    points = draw(st.lists(st.one_of(st.none(), st.integers(0, 10)), min_size=14, max_size=14))
    never = draw(st.booleans())
    flags = [
        FlagWaiting(
            day=TODAY - timedelta(days=age),
            age=age,
            flags=("numbness",),
            labels=draw(st.lists(text, min_size=1, max_size=2)),
            received_at=draw(moment),
        )
        for age in sorted(draw(st.lists(st.integers(0, 29), max_size=5, unique=True)))
    ]
    this_week = draw(st.one_of(st.none(), st.floats(0, 10)))
    return PatientRow(
        user_id=user_id,
        name=name,
        email=draw(st.sampled_from(["", name, "pat@example.org", "a&b@example.org"])),
        phone=phone,
        tel=tel_link(phone),
        joined=draw(moment),
        last_checkin=None if never else TODAY - timedelta(days=draw(st.integers(0, 400))),
        last_pain=None if never else draw(st.one_of(st.none(), st.integers(0, 10))),
        silence=Silence(
            days=draw(st.integers(0, 40)),
            never=never,
            snoozed_until=draw(st.one_of(st.none(), st.dates(TODAY, TODAY + timedelta(400)))),
        ),
        flags=flags,
        points=points,
        spark=sparkline(points),
        trend=Trend(this_week_pain=this_week, last_week_pain=draw(st.floats(0, 10))),
        sessions_week=draw(st.integers(0, 9)),
        prescribed_week=draw(st.integers(0, 9)),
        routines=draw(st.lists(text, max_size=2)),
    )


@settings(max_examples=100, deadline=None)
@given(page=st.lists(rows(), max_size=4), zone=st.sampled_from(["UTC", "Pacific/Auckland"]))
def test_the_rows_are_the_templates_markup(page: list[PatientRow], zone: str) -> None:
    here = "/clinic/?q=a&b=<c>"
    csrf_input = format_html('<input type="hidden" name="csrfmiddlewaretoken" value="{}">', "t")
    with timezone.override(ZoneInfo(zone)):
        expected = (
            engines["django"]
            .from_string(REFERENCE)
            .render({"page": {"rows": page}, "csrf_input": csrf_input, "here": here})
        )
        assert rows_html(page, csrf_input=csrf_input, here=here) == expected
