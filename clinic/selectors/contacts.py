"""How a person reaches care when a red flag comes up: their clinic's phone and the
local emergency number. Read by the pages and the API that show a triage; the clinic's
staff set the phone through clinic.services.clinic_phone_set."""

from __future__ import annotations

import re
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User

from clinic.permissions import patient_membership


@dataclass(frozen=True)
class CareContacts:
    emergency_number: str
    emergency_meaning: str
    clinic_name: str = ""
    clinic_phone: str = ""  # as the clinic typed it, for reading

    @property
    def clinic_tel(self) -> str:
        """The phone as a tel: target (digits and a leading +)."""
        return re.sub(r"[^0-9+]", "", self.clinic_phone)

    def as_dict(self) -> dict[str, str]:
        return {
            "emergency_number": self.emergency_number,
            "emergency_meaning": self.emergency_meaning,
            "clinic_name": self.clinic_name,
            "clinic_phone": self.clinic_phone,
            "clinic_tel": self.clinic_tel,
        }


def emergency_contacts() -> CareContacts:
    """The contacts every page may show: nobody's own (the local emergency number)."""
    return CareContacts(
        emergency_number=settings.EMERGENCY_NUMBER,
        emergency_meaning=settings.EMERGENCY_NUMBER_MEANING,
    )


def care_contacts(*, user: User | AnonymousUser) -> CareContacts:
    """A patient's clinic (its name and phone) beside the emergency number (1 query)."""
    contacts = emergency_contacts()
    if not isinstance(user, User):
        return contacts
    membership = patient_membership(user=user)
    if membership is None:
        return contacts
    clinic = membership.clinic
    return CareContacts(
        emergency_number=contacts.emergency_number,
        emergency_meaning=contacts.emergency_meaning,
        clinic_name=clinic.name,
        clinic_phone=clinic.phone,
    )
