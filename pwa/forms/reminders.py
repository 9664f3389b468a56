"""The patient's "Today: <routine>" reminder: on or off, a time, and which days."""

from __future__ import annotations

from typing import Any

from django import forms

from reminders.rules import WEEKDAYS


class RoutineReminderForm(forms.Form):
    # Beside the profile form on one page: its own names and ids.
    prefix = "routine"

    on = forms.BooleanField(label="Remind me on my routine days", required=False)
    time = forms.TimeField(
        label="Reminder time",
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    days = forms.TypedMultipleChoiceField(
        label="Routine days",
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("on"):
            if data.get("time") is None:
                self.add_error("time", "Choose a time for the reminder.")
            if not data.get("days"):
                self.add_error("days", "Choose at least one day.")
        return data

    @property
    def weekdays(self) -> int:
        return sum(1 << day for day in self.cleaned_data.get("days") or [])
