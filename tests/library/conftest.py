from __future__ import annotations

import pytest
from django.contrib.auth.models import User


@pytest.fixture
def staff_user(db: None) -> User:
    """Whoever presses Save or Publish (the library does not know about clinics)."""
    return User.objects.create_user("dr-north")


@pytest.fixture
def colleague(db: None) -> User:
    return User.objects.create_user("dr-colleague")
