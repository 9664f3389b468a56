"""Clinic forms: shape at the edge; the rules live in clinic/services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from clinic.models import AppointmentStatus
from clinic.types import DoseChange, DraftItem

MEASURES = [("reps", "reps"), ("hold_seconds", "s hold"), ("minutes", "min")]


class InvitationForm(forms.Form):
    label = forms.CharField(
        label="Who is it for?",
        max_length=120,
        required=False,
        help_text="Only your clinic sees this, e.g. a first name and the day you met.",
    )
    days = forms.IntegerField(label="Valid for (days)", min_value=1, max_value=60, initial=14)


class PrescriptionForm(forms.Form):
    routine = forms.ChoiceField(label="Routine")
    days_per_week = forms.IntegerField(label="Days per week", min_value=1, max_value=7, initial=3)
    note = forms.CharField(
        label="Note for the patient",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, routines: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["routine"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = routines


class PrescriptionEditForm(forms.Form):
    days_per_week = forms.IntegerField(label="Days per week", min_value=1, max_value=7)
    note = forms.CharField(
        label="Note for the patient",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


def _number(data: QueryDict, name: str) -> int | None:
    value = data.get(name, "").strip()
    if not value:
        return None
    try:
        return int(value)
    except ValueError as error:
        raise forms.ValidationError(f"{value!r} is not a whole number.") from error


def doses_from(data: QueryDict, exercises: list[str]) -> list[DoseChange]:
    """`dose-<slug>-sets`, `dose-<slug>-amount` and `dose-<slug>-measure` per exercise."""
    doses = []
    for slug in exercises:
        amount = _number(data, f"dose-{slug}-amount")
        measure = data.get(f"dose-{slug}-measure", "reps")
        doses.append(
            DoseChange(
                exercise=slug,
                sets=_number(data, f"dose-{slug}-sets"),
                reps=amount if measure == "reps" else None,
                hold_seconds=amount if measure == "hold_seconds" else None,
            )
        )
    return doses


def draft_from(data: QueryDict) -> list[DraftItem]:
    """The editor's rows (`item-<n>-exercise`, `-sets`, `-amount`, `-measure`, `-rest`,
    `-note`), in the order of n."""
    numbers = sorted(
        int(key.split("-")[1])
        for key in data
        if key.startswith("item-") and key.endswith("-exercise") and key.split("-")[1].isdigit()
    )
    items = []
    for n in numbers:
        prefix = f"item-{n}-"
        measure = data.get(prefix + "measure", "reps")
        amount = _number(data, prefix + "amount")
        items.append(
            DraftItem(
                exercise=data.get(prefix + "exercise", ""),
                sets=_number(data, prefix + "sets") or 0,
                reps=amount if measure == "reps" else None,
                hold_seconds=amount if measure == "hold_seconds" else None,
                minutes=amount if measure == "minutes" else None,
                rest_seconds=_number(data, prefix + "rest") or 0,
                note=data.get(prefix + "note", ""),
            )
        )
    return items


class PublishForm(forms.Form):
    changelog = forms.CharField(
        label="What changed, in a line your patients will read",
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)


class AppointmentForm(forms.Form):
    clinic = forms.ChoiceField(label="Clinic")
    reason = forms.CharField(
        label="What would you like help with?",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    preferred_times = forms.CharField(
        label="When suits you?",
        max_length=300,
        required=False,
        help_text="e.g. weekday mornings, or Thursday after 5 pm",
    )
    contact = forms.CharField(
        label="Phone or email to reach you",
        max_length=200,
        widget=forms.TextInput(attrs={"autocomplete": "tel"}),
    )

    def __init__(self, *args: Any, clinics: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["clinic"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = clinics
        if len(clinics) == 1:
            self.fields["clinic"].widget = forms.HiddenInput()
            self.fields["clinic"].initial = clinics[0][0]


class StatusForm(forms.Form):
    status = forms.ChoiceField(choices=AppointmentStatus.choices)
