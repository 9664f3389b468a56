"""`{% triage_gate hides="…" lead="…" %}`: the red-flag stop a page shows instead of its
session when this morning's check-in has a warning sign (static/js/triage-gate.js decides,
online or offline). Person-free: it carries the red-flag table and the local emergency
number, never anyone's answers, so it fits pages that are the same for everyone."""

from __future__ import annotations

from typing import Any

from django import template

from clinic.selectors.contacts import emergency_contacts
from journal.advice import triage_table

register = template.Library()


@register.inclusion_tag("components/triage_gate.html")
def triage_gate(
    *,
    hides: str = "",
    lead: str = "",
    change_link: bool = True,
    home_link: bool = False,
    start: bool = True,
) -> dict[str, Any]:
    return {
        "start": start,  # False: the page's script starts it (checkin.js, after a save)
        "hides": hides,
        "lead": lead,
        "change_link": change_link,  # not on the check-in page itself
        "home_link": home_link,  # on pages without the app's header and tab bar
        "table": triage_table(),
        "contacts": emergency_contacts(),
    }
