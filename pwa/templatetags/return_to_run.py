"""`{% return_to_run_control patient %}`: the clinician's "cleared to return to running"
control on the patient page, as one line there (the page itself belongs to the clinic's
views; the rule and the table are journal's)."""

from __future__ import annotations

from typing import Any

from django import template
from django.contrib.auth.models import User

from pwa.views.clinic.return_to_run import clinician_control

register = template.Library()


@register.inclusion_tag("clinic/_return_to_run.html")
def return_to_run_control(patient: User) -> dict[str, Any]:
    return clinician_control(patient=patient)
