"""The check-in form for the page (the API has its own schema): shape only.

With JavaScript, checkin.js sends the same answers as JSON through the offline outbox;
this form is what a browser without it (or a refused script) posts.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from journal.advice import RED_FLAGS
from journal.models import Activity, CheckIn, Location
from journal.services import Answers

KM_PER_MILE = Decimal("1.609344")
PAIN_CHOICES = [(n, str(n)) for n in range(11)]
# Morning stiffness in minutes, as a runner would guess it before coffee.
STIFFNESS_CHOICES = [(0, "None"), (5, "5 min"), (15, "15 min"), (30, "30 min"), (60, "1 hour+")]


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

    def __init__(self, *args: Any, unit: str = "km", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.unit = unit
        self.fields["distance"].label = f"Distance ({unit})"
        for flag in RED_FLAGS:
            self.fields[flag.field] = forms.BooleanField(label=flag.question, required=False)

    @property
    def red_flag_fields(self) -> list[forms.BoundField]:
        return [self[flag.field] for flag in RED_FLAGS]

    def answers(self) -> Answers:
        data = self.cleaned_data
        activity = data.get("activity") or ""
        active = activity in {Activity.RUN, Activity.CROSS}
        # Answers to questions the page hid (a run's pain after choosing Rest) are dropped
        # rather than refused: the runner changed their mind.
        distance = data.get("distance") if activity == Activity.RUN else None
        if distance is not None and self.unit == "mi":
            distance = (distance * KM_PER_MILE).quantize(Decimal("0.01"))
        return Answers(
            date=data["date"],
            first_step_pain=data["first_step_pain"],
            locations=tuple(data.get("locations") or ()),
            stiffness_minutes=data.get("stiffness_minutes"),
            activity=activity,
            distance_km=distance,
            pain_during=data.get("pain_during") if active else None,
            pain_after=data.get("pain_after") if active else None,
            flags=frozenset(flag.field for flag in RED_FLAGS if data.get(flag.field)),
        )


def distance_in(distance_km: Decimal | None, *, unit: str) -> Decimal | None:
    """A stored distance (km) in the runner's own unit, to one decimal."""
    if distance_km is None:
        return None
    return (distance_km / KM_PER_MILE if unit == "mi" else distance_km).quantize(Decimal("0.1"))


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
    }
    return initial | {flag.field: getattr(checkin, flag.field) for flag in RED_FLAGS}
