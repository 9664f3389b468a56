from __future__ import annotations

import pytest
from django.contrib.auth.models import User
from django.test import Client

from accounts.models import Profile


def make_runner(name: str = "runner@example.org", *, time_zone: str = "UTC", **profile) -> User:
    user = User.objects.create_user(name, email=name, password="a-long-password-1")
    Profile.objects.create(user=user, time_zone=time_zone, **profile)
    return user


@pytest.fixture
def runner(db: None) -> User:
    return make_runner()


@pytest.fixture
def runner_client(runner: User) -> Client:
    client = Client()
    client.force_login(runner)
    return client


@pytest.fixture
def other_client(db: None) -> Client:
    client = Client()
    client.force_login(make_runner("other@example.org"))
    return client
