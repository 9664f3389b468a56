"""`manage.py clinic_add_staff USERNAME --clinic SLUG`: make a user a clinician."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from clinic.services import staff_add
from footing.errors import FootingError


class Command(BaseCommand):
    help = "Make an existing user a clinician of a clinic (the clinic is created if needed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--clinic", required=True, help="The clinic's slug, e.g. north-physio")
        parser.add_argument("--name", default="", help="The clinic's name, when it is new")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            membership = staff_add(
                username=options["username"],
                clinic_slug=options["clinic"],
                clinic_name=options["name"],
            )
        except FootingError as error:
            raise CommandError(error.message) from error
        self.stdout.write(
            f"{membership.user.get_username()} is a clinician of {membership.clinic.name} "
            f"({membership.clinic.slug})."
        )
