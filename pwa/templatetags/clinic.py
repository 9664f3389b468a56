"""`{% clinic_settings %}`: the clinic's part of a person's settings page.

Clinicians get a way to their dashboard; patients see their clinic and "book a time";
runners get "book a time". One tag, so the accounts page needs no clinic logic.
"""

from __future__ import annotations

from typing import Any

from django import template

from clinic.models import Membership, Role

register = template.Library()


@register.inclusion_tag("clinic/_settings.html", takes_context=True)
def clinic_settings(context: template.Context) -> dict[str, Any]:
    user = context["request"].user
    membership = (
        Membership.objects.select_related("clinic").filter(user_id=user.pk).first()
        if user.is_authenticated
        else None
    )
    role = membership.role if membership else ""
    return {
        "membership": membership,
        "is_clinician": role == Role.CLINICIAN,
        "is_patient": role == Role.PATIENT,
    }
