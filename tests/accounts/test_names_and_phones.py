"""The name a person gives their clinic and the phone it may call: what is stored, what is
refused (a 422 naming the field), and the `tel:` link the clinic dials."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from accounts.models import Profile
from accounts.selectors import display_name, tel_link
from accounts.services import name_clean, phone_clean
from footing.errors import Invalid

marks = st.sampled_from(list(" -.()/"))
digits = st.text(alphabet="0123456789", min_size=1, max_size=4)


@given(parts=st.lists(digits, min_size=1, max_size=6), joiners=st.lists(marks), plus=st.booleans())
def test_a_phone_with_6_to_15_digits_is_kept_and_dials_those_digits(parts, joiners, plus) -> None:
    typed = ("+" if plus else "") + "".join(
        part + (joiners[i] if i < len(joiners) else "") for i, part in enumerate(parts)
    )
    count = sum(len(part) for part in parts)
    if 6 <= count <= 15:
        stored = phone_clean(typed)
        assert stored == " ".join(typed.split())[:30]
        assert tel_link(stored) == "tel:" + ("+" if plus else "") + "".join(parts)
    else:
        with pytest.raises(Invalid) as error:
            phone_clean(typed)
        assert error.value.field == "phone"


@pytest.mark.parametrize(
    "typed", ["call me", "0770 ABC 123", "+44 7700 900123 ext 5", "++447700900"]
)
def test_a_phone_with_letters_or_a_second_plus_is_refused(typed: str) -> None:
    with pytest.raises(Invalid):
        phone_clean(typed)


@given(st.text(max_size=120))
def test_a_name_is_stored_tidy_or_refused(name: str) -> None:
    try:
        cleaned = name_clean(name)
    except Invalid as error:
        assert error.field == "display_name"
        assert len(" ".join(name.split())) > 80 or any(not c.isprintable() for c in name)
    else:
        assert cleaned == " ".join(name.split()) and len(cleaned) <= 80
        assert all(c.isprintable() for c in cleaned)


@pytest.mark.django_db
def test_the_account_page_saves_the_name_and_phone(settings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    user = User.objects.create_user("ann@example.org", password="a long pass phrase")
    Profile.objects.create(user=user)
    client = Client()
    client.force_login(user)
    form = {"time_zone": "Europe/London", "distance_unit": "km", "main_condition": ""}
    saved = client.post(
        reverse("accounts:profile"), form | {"display_name": "Ann Lee", "phone": "07700 900123"}
    )
    assert saved.status_code == 200 and "Saved." in saved.text
    # A fresh read: the user object here still holds the profile it was created with.
    assert display_name(user=User.objects.get(pk=user.pk)) == "Ann Lee"
    assert Profile.objects.get(user=user).phone == "07700 900123"
    refused = client.post(reverse("accounts:profile"), form | {"phone": "ring me"})
    assert refused.status_code == 422 and "Give a phone number of 6 to 15" in refused.text
    assert Profile.objects.get(user=user).phone == "07700 900123"  # nothing half-stored
    assert display_name(user=User.objects.create_user("bo")) == "bo"  # no name: the username
