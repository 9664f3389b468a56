"""Clinic forms: shape at the edge; the rules live in clinic/services.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict

from clinic.models import AppointmentStatus
from clinic.selectors.patient_list import FILTER_LABELS, SEARCH_MAX, SORT_LABELS, ListQuery, Sort
from clinic.selectors.patient_list import Filter as ListFilter
from clinic.selectors.routines import RoutineChoice
from clinic.types import DoseChange
from library.models import Phase
from library.types import DraftItem

MEASURES = [("reps", "reps"), ("hold_seconds", "s hold"), ("minutes", "min")]


class PatientListForm(forms.Form):
    """The patient list's query string: ?q=&filter=flagged&filter=silent&sort=pain&dir=desc
    &page=2. Every field is optional; a value that is not one of ours is a 400 naming it."""

    q = forms.CharField(label="Search by name or email", max_length=SEARCH_MAX, required=False)
    filter = forms.MultipleChoiceField(
        choices=list(FILTER_LABELS.items()), required=False, widget=forms.CheckboxSelectMultiple
    )
    sort = forms.ChoiceField(label="Sort by", choices=list(SORT_LABELS.items()), required=False)
    dir = forms.ChoiceField(choices=[("asc", "asc"), ("desc", "desc")], required=False)
    page = forms.IntegerField(min_value=1, max_value=100_000, required=False)

    def query(self) -> ListQuery:
        data = self.cleaned_data
        return ListQuery(
            search=data["q"].strip(),
            filters=frozenset(ListFilter(value) for value in data["filter"]),
            sort=Sort(data["sort"] or Sort.ATTENTION),
            descending=data["dir"] == "desc",
            page=data["page"] or 1,
        )


class RedFlagsHandledForm(forms.Form):
    # The newest flag the clinician was shown: flags that arrive meanwhile stay waiting.
    through = forms.DateTimeField(widget=forms.HiddenInput)
    note = forms.CharField(
        label="What did you do? (optional)",
        max_length=500,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. Called, sent to A&E"}),
    )


class SnoozeForm(forms.Form):
    days = forms.TypedChoiceField(
        label="Quiet for",
        coerce=int,
        choices=[(3, "3 days"), (7, "a week"), (14, "2 weeks"), (28, "4 weeks")],
        initial=7,
    )
    note = forms.CharField(
        label="Why? (optional)",
        max_length=300,
        required=False,
        widget=forms.TextInput(attrs={"placeholder": "e.g. On holiday until the 14th"}),
    )


class NoteForm(forms.Form):
    body = forms.CharField(
        label="Add a note (only your clinic's staff see notes)",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ReplyForm(forms.Form):
    reply = forms.CharField(
        label="Reply to the patient",
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="They see it on their account page, beside the request's status.",
    )
    status = forms.ChoiceField(choices=AppointmentStatus.choices, required=False)


class InvitationForm(forms.Form):
    label = forms.CharField(
        label="Who is it for?",
        max_length=120,
        required=False,
        help_text="Only your clinic sees this, e.g. a first name and the day you met.",
    )
    days = forms.IntegerField(label="Valid for (days)", min_value=1, max_value=60, initial=14)


class PrescriptionForm(forms.Form):
    """Prescribing: no routine is chosen until the clinician chooses one (an empty form
    prescribes nothing), and the clinic's own routines are offered apart from the
    library's."""

    # Offered as a list, checked by the service (which says "not found" for a routine
    # that is not the clinic's to prescribe, exactly as for one that does not exist).
    routine = forms.CharField(
        label="Routine",
        widget=forms.Select,
        error_messages={"required": "Choose the routine to prescribe."},
    )
    days_per_week = forms.IntegerField(label="Days per week", min_value=1, max_value=7, initial=3)
    note = forms.CharField(
        label="Note for the patient",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(
        self, *args: Any, routines: list[RoutineChoice], refresh_url: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["routine"]
        assert isinstance(field.widget, forms.Select)
        field.help_text = "Your clinic's own routines first, then the library's."
        if refresh_url:
            # Choosing a routine shows its exercises and what would be prescribed.
            field.widget.attrs |= {
                "hx-post": refresh_url,
                "hx-trigger": "change",
                "hx-target": "#prescriptions",
                "hx-swap": "outerHTML",
            }
        own = [(r.slug, r.title) for r in routines if r.own]
        shared = [(r.slug, r.title) for r in routines if not r.own]
        field.widget.choices = [("", "Choose a routine…")] + [
            (group, choices)
            for group, choices in (("Your clinic's routines", own), ("Library", shared))
            if choices
        ]


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


def draft_base(data: QueryDict) -> tuple[int, int]:
    """The version and draft revision the editor was opened on (hidden fields)."""
    version, revision = _number(data, "expected_version"), _number(data, "draft_revision")
    if version is None or revision is None:
        raise forms.ValidationError(
            "Reload the editor: the form does not say what it was based on."
        )
    return version, revision


class PublishForm(forms.Form):
    changelog = forms.CharField(
        label="What changed, in a line your patients will read",
        max_length=300,
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
        error_messages={"required": "Say what changed in this version."},
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    draft_revision = forms.IntegerField(widget=forms.HiddenInput, min_value=0)
    # Publishing asks once more ("this reaches N patients"); the second press confirms.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)


class RoutineNewForm(forms.Form):
    title = forms.CharField(label="Title", max_length=120)
    summary = forms.CharField(
        label="What it is for",
        max_length=500,
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    phase = forms.ChoiceField(label="Stage of the rehab plan", choices=Phase.choices)
    frequency = forms.CharField(
        label="How often", max_length=100, required=False, help_text="e.g. every day"
    )
    conditions = forms.MultipleChoiceField(
        label="For",
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Choose what it is for."},
    )
    first_exercise = forms.ChoiceField(label="First exercise")

    def __init__(
        self,
        *args: Any,
        conditions: list[tuple[str, str]],
        exercises: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        condition_field = self.fields["conditions"]
        exercise_field = self.fields["first_exercise"]
        assert isinstance(condition_field, forms.MultipleChoiceField)
        assert isinstance(exercise_field, forms.ChoiceField)
        condition_field.choices = conditions
        exercise_field.choices = [("", "Choose…"), *exercises]


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
