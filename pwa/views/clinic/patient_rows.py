"""The patient list's rows as HTML, written in Python rather than by the template engine.

A page of 50 rows through `{% for %}` cost more than the whole database work at 1,000
patients (≈ 60 ms of variable lookups and filters, bench/profile.py --patients): this
writes the same markup (clinic/dashboard.html's table body; tests/clinic/test_patient_rows.py
holds it to the template's words) with every value escaped, and each link reversed once
per page, not once per row. Values are escaped by the standard library's `html.escape`,
which is what Django's `escape` calls (same five characters replaced) without its lazy-text
wrapper: ≈ 15 values a row, and the wrapper cost more than the escaping.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime
from html import escape

from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe
from django.utils.timezone import localtime

from clinic.selectors.patient_list import PatientRow
from footing.dates import day, day_month
from pwa.templatetags.clinic import days_ago

FLAGS_SHOWN = 3
_ID = 2_147_483_647  # stands for the patient's id in a reversed URL


def rows_html(rows: Sequence[PatientRow], *, csrf_input: str, here: str) -> SafeString:
    """The table body's rows; `csrf_input` is the one hidden token input for every form."""
    links = _Links()
    back = escape(here)
    return mark_safe("".join(_row(row, links, csrf_input, back) for row in rows))


class _Links:
    """The row's links, reversed once for the page."""

    def __init__(self) -> None:
        self.patient = _pattern("clinic:patient")
        self.handled = _pattern("clinic:red_flags_handled")
        self.snooze = _pattern("clinic:snooze")


def _pattern(name: str) -> Callable[[int], str]:
    before, after = reverse(name, args=[_ID]).split(str(_ID))
    return lambda user_id: f"{before}{user_id}{after}"


def _row(row: PatientRow, links: _Links, csrf: str, back: str) -> str:
    uid = row.user_id
    name = escape(row.name)
    kind = "has-flag" if row.flags else "is-quiet" if row.silence.alert else ""
    email = (
        f'<span class="meta">{escape(row.email)}</span>'
        if row.email and row.email != row.name
        else ""
    )
    return (
        f'\n<tr class="{kind}">\n'
        f'<td class="p-name"><a href="{links.patient(uid)}">{name}</a>{email}</td>\n'
        f'<td class="p-flags">{_flags(row, links, csrf, back, name)}</td>\n'
        f'<td class="p-last">{_last(row, links, csrf, back)}</td>\n'
        f'<td class="p-pain">{_pain(row)}</td>\n'
        f'<td class="p-week{" behind" if row.behind else ""}">{_week(row)}</td>\n'
        f'<td class="p-routine">{_routine(row, links)}</td>\n'
        "</tr>\n    "
    )


def _flags(row: PatientRow, links: _Links, csrf: str, back: str, name: str) -> str:
    if not row.flags:
        return '<span class="meta">None waiting</span>'
    uid = row.user_id
    items = "".join(
        f'<li><span class="badge badge-doctor">{escape(days_ago(flag.age))}</span> '
        f"{'; '.join(escape(label) for label in flag.labels)}</li>"
        for flag in row.flags[:FLAGS_SHOWN]
    )
    more = (
        f'<p class="meta">and {len(row.flags) - FLAGS_SHOWN} more mornings</p>'
        if len(row.flags) > FLAGS_SHOWN
        else ""
    )
    call = (
        f'<a class="btn btn-call" href="{escape(row.tel)}" aria-label="Call {name}, '
        f'{escape(row.phone)}">{escape(row.phone)}</a>'
        if row.tel
        else '<span class="meta">No phone on file</span>'
    )
    return (
        f'<ul class="flag-list" aria-label="Red flags waiting">{items}</ul>{more}\n'
        f'<div class="flag-actions">{call}\n'
        f'<details class="inline-form" id="handle-{uid}" hx-preserve="true">'
        '<summary class="btn">Mark handled</summary>\n'
        f'<form method="post" action="{links.handled(uid)}">{csrf}'
        f'<input type="hidden" name="through" value="{_iso(row.seen_through)}">'
        f'<input type="hidden" name="next" value="{back}">'
        f'<label for="handled-note-{uid}">What did you do? (optional)</label>'
        f'<input id="handled-note-{uid}" name="note" maxlength="500" '
        'placeholder="e.g. Called, sent to A&amp;E">'
        '<button type="submit" class="btn btn-primary">Mark handled</button></form>'
        "</details></div>"
    )


def _iso(moment: datetime | None) -> str:
    """As `|date:'c'` writes it (Django's DateFormat.c is isoformat()), in the clinician's
    time zone; the filter itself cost ≈ 60 µs more per red-flagged row."""
    return escape(localtime(moment).isoformat()) if moment else ""


def _last(row: PatientRow, links: _Links, csrf: str, back: str) -> str:
    quiet = row.silence
    if quiet.never:
        text = "No check-ins yet"
    else:
        text = (
            f'<span class="on-phone">Checked in </span><span class="when" '
            f'title="{escape(day(row.last_checkin))}">{escape(days_ago(quiet.days).lower())}</span>'
        )
    if quiet.alert:
        uid = row.user_id
        plural = "" if quiet.days == 1 else "s"
        return (
            f'{text} <span class="badge badge-quiet">Quiet {quiet.days} day{plural}</span>\n'
            f'<details class="inline-form" id="snooze-{uid}" hx-preserve="true">'
            '<summary class="btn btn-quiet">Snooze</summary>\n'
            f'<form method="post" action="{links.snooze(uid)}">{csrf}'
            f'<input type="hidden" name="next" value="{back}">'
            f'<label for="snooze-days-{uid}">Quiet for</label>'
            f'<select id="snooze-days-{uid}" name="days"><option value="3">3 days</option>'
            '<option value="7" selected>a week</option><option value="14">2 weeks</option>'
            '<option value="28">4 weeks</option></select>'
            f'<label for="snooze-note-{uid}">Why? (optional)</label>'
            f'<input id="snooze-note-{uid}" name="note" maxlength="300" '
            'placeholder="e.g. On holiday">'
            '<button type="submit" class="btn btn-primary">Snooze</button></form></details>'
        )
    if quiet.snoozed_until:
        until = escape(day_month(quiet.snoozed_until))
        return f'{text} <span class="meta">· quiet until {until}</span>'
    return text


def _pain(row: PatientRow) -> str:
    now = (
        f'<span class="on-phone">Pain </span><strong>{row.last_pain}/10</strong>'
        if row.last_pain is not None
        else '<span class="meta">–</span>'
    )
    spark = row.spark
    width, height = spark.width + 6, spark.height + 2
    line = (
        f'<path d="{escape(spark.path)}"/><circle cx="{spark.last_x}" cy="{spark.last_y}" r="2.5"/>'
        if spark.path
        else ""
    )
    trend = row.trend
    if trend.pain_rising:
        word = '<span class="p-trend up">↑ rising</span>'
    elif trend.pain_change is not None and trend.pain_change <= -1:
        word = '<span class="p-trend down">↓ easing</span>'
    else:
        word = ""
    return (
        f'{now}<svg class="spark" viewBox="-3 -1 {width} {height}" width="{width}" '
        f'height="{height}" role="img" aria-label="{escape(spark.label)}">'
        f'<line class="spark-base" x1="-3" x2="{spark.width + 3}" y1="22" y2="22"/>'
        f"{line}</svg>{word}"
    )


def _week(row: PatientRow) -> str:
    if row.prescribed_week:
        return (
            f"<strong>{row.sessions_week}</strong> of {row.prescribed_week}"
            '<span class="meta"> this week</span>'
        )
    plural = "" if row.sessions_week == 1 else "s"
    return (
        f'{row.sessions_week}<span class="meta"><span class="on-phone"> session{plural}</span>'
        " this week</span>"
    )


def _routine(row: PatientRow, links: _Links) -> str:
    if row.routines:
        return ", ".join(escape(title) for title in row.routines)
    return (
        '<span class="on-phone">No routine yet · </span>'
        f'<a href="{links.patient(row.user_id)}#plan-title">Prescribe</a>'
    )
