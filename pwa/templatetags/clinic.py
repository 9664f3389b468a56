"""The clinic's template tags.

`{% clinic_settings %}`: the clinic's part of a person's settings page. Clinicians get a
way to their dashboard; patients see their clinic, "book a time" and their requests;
runners get "book a time". clinic/permissions.py decides who is what.

`|days_ago`: 0 → "Today", 1 → "Yesterday", n → "n days ago". `|contact_link`: a
mailto: or tel: link for what a patient left as their contact.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from accounts.selectors import tel_link
from clinic.permissions import clinic_role
from clinic.selectors.appointments import requests_of

register = template.Library()


@register.inclusion_tag("clinic/_settings.html", takes_context=True)
def clinic_settings(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    role = clinic_role(user=user)
    return {
        "membership": role.membership,
        "is_clinician": role.clinician,
        "is_patient": role.patient,
        "requests": requests_of(user=user, now=timezone.now()) if user.is_authenticated else [],
    }


@register.filter
def contact_link(contact: str) -> str:
    """A request's contact as a link: mailto: for an email, tel: for a phone number."""
    text = contact.strip()
    if "@" in text and " " not in text:
        return f"mailto:{text}"
    digits = sum(ch.isdigit() for ch in text)
    return tel_link(text) if 6 <= digits <= 15 and not any(ch.isalpha() for ch in text) else ""


@register.filter
def days_ago(days: int | None) -> str:
    if days is None:
        return ""
    if days <= 0:
        return "Today"
    if days == 1:
        return "Yesterday"
    return f"{days} days ago"
