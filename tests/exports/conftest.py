"""The clinic's small world (two clinics, their people, one routine) for the export tests."""

from tests.clinic.conftest import routine_content, world  # noqa: F401
