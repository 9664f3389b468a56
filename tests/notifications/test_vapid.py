"""The server's push identity: generated once for a local run, required when deployed."""

from __future__ import annotations

from io import StringIO

from django.core.management import call_command

from footing.env import vapid_private_key
from notifications import vapid
from tests.notifications.fakes import unb64
from tests.test_deploy import PRODUCTION, manage


def test_vapid_keys_command_prints_a_usable_key(settings) -> None:
    out = StringIO()
    call_command("vapid_keys", stdout=out)
    line = out.getvalue().splitlines()[0]
    name, _, value = line.partition("=")
    assert name == "VAPID_PRIVATE_KEY" and len(unb64(value)) == 32
    settings.VAPID_PRIVATE_KEY = value
    assert len(unb64(vapid.public_key())) == 65


def test_a_local_run_generates_its_key_once_and_keeps_it(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("VAPID_PRIVATE_KEY", raising=False)
    key_file = tmp_path / ".local-vapid-key"

    first = vapid_private_key(local=True, key_file=key_file)
    again = vapid_private_key(local=True, key_file=key_file)

    assert first == again == key_file.read_text() and len(unb64(first)) == 32
    assert key_file.stat().st_mode & 0o777 == 0o600
    assert vapid_private_key(local=False, key_file=tmp_path / "none") == ""


def test_the_environment_wins(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv("VAPID_PRIVATE_KEY", "from-the-environment")
    assert vapid_private_key(local=True, key_file=tmp_path / "k") == "from-the-environment"
    assert not (tmp_path / "k").exists()


def test_a_deployment_without_a_key_gets_a_deploy_warning() -> None:
    without = {k: v for k, v in PRODUCTION.items() if k != "VAPID_PRIVATE_KEY"}

    done = manage("check", "--deploy", "--fail-level", "WARNING", env=without)

    assert done.returncode != 0
    assert "footing.W001" in done.stdout + done.stderr
    assert "VAPID_PRIVATE_KEY is not set" in done.stdout + done.stderr


def test_without_a_key_the_account_page_says_push_is_off(client, settings, django_user_model):
    settings.VAPID_PRIVATE_KEY = ""
    client.force_login(django_user_model.objects.create_user("ann"))

    page = client.get("/accounts/profile/").text

    assert "This server can't send notifications" in page
    assert "data-push-key" not in page
