"""The check-in form for the page (the API has its own schema): shape only.

With JavaScript, checkin.js sends the same answers as JSON through the offline outbox;
this form is what a browser without it (or a refused script) posts.
"""

from __future__ import annotations

from typing import Any

from django import forms

from journal.advice import RED_FLAGS, pain_needs_activity
from journal.models import Activity, CheckIn, Location
from journal.services import Answers
from journal.units import distance_in, km_from

PAIN_CHOICES = [(n, str(n)) for n in range(11)]
# Morning stiffness in minutes, as a runner would guess it before coffee.
STIFFNESS_CHOICES = [(0, "None"), (5, "5 min"), (15, "15 min"), (30, "30 min"), (60, "1 hour+")]
WALKING_CHOICES = [("yes", "Pain-free"), ("no", "It hurt")]
NO_RED_FLAGS = "no_red_flags"


def _yes_no(value: str) -> bool:
    return value == "yes"


def _pain(label: str, *, required: bool = False) -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        choices=PAIN_CHOICES,
        coerce=int,
        required=required,
        empty_value=None,
        widget=forms.RadioSelect,
    )


class CheckInForm(forms.Form):
    client_id = forms.UUIDField(required=False, widget=forms.HiddenInput)
    date = forms.DateField(widget=forms.HiddenInput)
    first_step_pain = _pain("First steps out of bed: how much did it hurt?", required=True)
    locations = forms.MultipleChoiceField(
        label="Where?",
        choices=Location.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    stiffness_minutes = forms.TypedChoiceField(
        label="Morning stiffness",
        choices=STIFFNESS_CHOICES,
        coerce=int,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )
    activity = forms.ChoiceField(
        label="Yesterday", choices=Activity.choices, required=False, widget=forms.RadioSelect
    )
    distance = forms.DecimalField(
        label="Distance",
        required=False,
        min_value=0,
        max_value=300,
        decimal_places=2,
        widget=forms.NumberInput(attrs={"inputmode": "decimal", "step": "0.1"}),
    )
    pain_during = _pain("Pain during")
    pain_after = _pain("Pain after")
    walking_pain_free = forms.TypedChoiceField(
        label="Walking yesterday",
        choices=WALKING_CHOICES,
        coerce=_yes_no,
        required=False,
        empty_value=None,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args: Any, unit: str = "km", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["distance"].label = f"Distance ({unit})"
        self.fields[NO_RED_FLAGS] = forms.BooleanField(label="None of these", required=False)
        for flag in RED_FLAGS:
            self.fields[flag.field] = forms.BooleanField(label=flag.question, required=False)

    @property
    def red_flag_fields(self) -> list[forms.BoundField]:
        return [self[flag.field] for flag in RED_FLAGS]

    def clean(self) -> dict[str, Any]:
        # The page asks the warning signs every morning and wants an answer: some ticked,
        # or "None of these" (the API may leave them out; the advice then holds).
        data = super().clean() or {}
        ticked = any(data.get(flag.field) for flag in RED_FLAGS)
        if ticked and data.get(NO_RED_FLAGS):
            self.add_error(NO_RED_FLAGS, "You ticked a warning sign and “None of these”.")
        elif not ticked and not data.get(NO_RED_FLAGS):
            self.add_error(NO_RED_FLAGS, "Tick any warning sign that is true, or “None of these”.")
        return data

    def answers(self) -> Answers:
        data = self.cleaned_data
        activity = data.get("activity") or ""
        active = pain_needs_activity(activity)
        # Answers to questions the page hid (a run's pain after choosing Rest) are dropped
        # rather than refused: the runner changed their mind.
        distance = data.get("distance") if activity == Activity.RUN else None
        if distance is not None:
            distance = km_from(distance, unit=self.unit)
        return Answers(
            date=data["date"],
            first_step_pain=data["first_step_pain"],
            locations=tuple(data.get("locations") or ()),
            stiffness_minutes=data.get("stiffness_minutes"),
            activity=activity,
            distance_km=distance,
            pain_during=data.get("pain_during") if active else None,
            pain_after=data.get("pain_after") if active else None,
            walking_pain_free=data.get("walking_pain_free"),
            flags=frozenset(flag.field for flag in RED_FLAGS if data.get(flag.field)),
            flags_answered=bool(data.get(NO_RED_FLAGS)),
        )


def _walking_initial(value: bool | None) -> str | None:
    return None if value is None else "yes" if value else "no"


def initial_from(checkin: CheckIn, *, unit: str) -> dict[str, Any]:
    """A saved check-in as the form's starting answers (a second check-in edits it)."""
    distance = distance_in(checkin.distance_km, unit=unit)
    initial: dict[str, Any] = {
        "client_id": checkin.client_id,
        "date": checkin.date,
        "first_step_pain": checkin.first_step_pain,
        "locations": list(checkin.locations),
        "stiffness_minutes": checkin.stiffness_minutes,
        "activity": checkin.activity,
        "distance": distance,
        "pain_during": checkin.pain_during,
        "pain_after": checkin.pain_after,
        "walking_pain_free": _walking_initial(checkin.walking_pain_free),
        NO_RED_FLAGS: checkin.red_flags_answered
        and not any(getattr(checkin, flag.field) for flag in RED_FLAGS),
    }
    return initial | {flag.field: getattr(checkin, flag.field) for flag in RED_FLAGS}
