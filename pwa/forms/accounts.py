"""Account forms: shape and wording at the edge; the rules live in services and selectors."""

from __future__ import annotations

from typing import Any
from zoneinfo import available_timezones

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.models import User
from django.core.validators import validate_email
from django.utils import timezone

from accounts.models import DistanceUnit
from clinic.selectors.invitations import invitation_usable
from footing.errors import Invalid
from library.selectors import condition_list
from pwa.forms.time_zones import zone_choices


class LoginForm(AuthenticationForm):
    """Django's log-in, in the words sign-up uses: people sign up with their email."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        username = self.fields["username"]
        username.label = "Email"
        username.help_text = "Or the username your account was made with."
        username.widget.attrs.update(
            {"autocomplete": "username", "inputmode": "email", "autocapitalize": "none"}
        )


def condition_choices() -> list[tuple[str, str]]:
    return [("", "Not sure yet"), *((c.slug, c.name) for c in condition_list())]


def usable_invitation(code: str) -> str:
    """A clinic's invitation code, checked (the shape of the code is clinic's business)."""
    code = code.strip()
    if code:
        try:
            return invitation_usable(code=code, now=timezone.now()).code
        except Invalid as error:
            raise forms.ValidationError(error.message) from error
    return code


class SignupForm(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=80,
        required=False,
        help_text="The name your clinic sees. Leave it empty if you have no clinic.",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    username = forms.CharField(
        label="Email",
        max_length=150,
        help_text="Your email, so you can reset a forgotten password. A plain username works too.",
        widget=forms.TextInput(
            attrs={"autocomplete": "email", "inputmode": "email", "autocapitalize": "none"}
        ),
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
        help_text="At least 8 characters, not a common one.",
    )
    # Filled in from the phone's settings by accounts.js; the profile can change it.
    time_zone = forms.CharField(required=False, widget=forms.HiddenInput)
    # From the clinic's invitation link or card; joining is clinic.services' business.
    invitation = forms.CharField(
        label="Invitation code from your clinic (if you have one)",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def clean_invitation(self) -> str:
        return usable_invitation(self.cleaned_data.get("invitation", ""))

    def clean_username(self) -> str:
        username: str = self.cleaned_data["username"].strip()
        if "@" in username:
            try:
                validate_email(username)
            except forms.ValidationError as error:
                raise forms.ValidationError("That email address doesn't look right.") from error
        User.username_validator(username)
        if User.objects.filter(username__iexact=username).exists():
            raise forms.ValidationError("There is already an account with that name. Log in?")
        return username

    def clean_time_zone(self) -> str:
        zone: str = self.cleaned_data.get("time_zone") or "UTC"
        return zone if zone in available_timezones() else "UTC"

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("username") and data.get("password"):
            try:
                password_validation.validate_password(
                    data["password"], User(username=data["username"])
                )
            except forms.ValidationError as error:
                self.add_error("password", error)
        return data


class ProfileForm(forms.Form):
    display_name = forms.CharField(
        label="Your name",
        max_length=80,
        required=False,
        help_text="What your clinic sees (empty: your email).",
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    phone = forms.CharField(
        label="Phone",
        max_length=30,
        required=False,
        help_text="So your clinic can call you about a warning sign. Only your clinic sees it.",
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel", "type": "tel"}),
    )
    main_condition = forms.ChoiceField(label="Your main problem", required=False)
    time_zone = forms.ChoiceField(label="Time zone")
    reminder_time = forms.TimeField(
        label="Morning reminder",
        required=False,
        help_text="A notification at this time, your time, unless you've already checked in. "
        "Leave empty for none.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    distance_unit = forms.ChoiceField(
        label="Distances in", choices=DistanceUnit.choices, widget=forms.RadioSelect
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        condition, zone = self.fields["main_condition"], self.fields["time_zone"]
        assert isinstance(condition, forms.ChoiceField) and isinstance(zone, forms.ChoiceField)
        condition.choices = condition_choices()
        # Any real zone is accepted (the phone may report one not on the list); the
        # list offers cities, the person's own first.
        current = self.data.get("time_zone") or self.initial.get("time_zone") or "UTC"
        zone.choices = zone_choices(current if current in available_timezones() else "UTC")


class WelcomeForm(forms.Form):
    """Right after sign-up: the three things that make the app the person's own. Each may
    be left empty; the account page changes them later."""

    main_condition = forms.ChoiceField(label="What brings you here?", required=False)
    reminder_time = forms.TimeField(
        label="A morning reminder to check in",
        required=False,
        help_text="The time you usually get up. Leave empty for no reminder.",
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )
    invitation = forms.CharField(
        label="Clinic code (if your clinic gave you one)",
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "autocapitalize": "characters"}),
    )

    def __init__(self, *args: Any, in_clinic: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        condition = self.fields["main_condition"]
        assert isinstance(condition, forms.ChoiceField)
        condition.choices = condition_choices()
        if in_clinic:  # already a patient (an invitation at sign-up) or staff
            del self.fields["invitation"]

    def clean_invitation(self) -> str:
        return usable_invitation(self.cleaned_data.get("invitation", ""))


class DeleteAccountForm(forms.Form):
    password = forms.CharField(
        label="Your password, to confirm",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
    )

    def __init__(self, *args: Any, user: User, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self) -> str:
        password: str = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise forms.ValidationError("That is not your password.")
        return password
