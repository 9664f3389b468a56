"""Production settings: Django's deployment checklist passes with nothing to warn about."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys

from django.conf import settings

from footing.env import vapid_key_generate

PRODUCTION = {
    "DEBUG": "0",
    "FOOTING_LOCAL": "0",
    "FOOTING_HTTPS": "1",
    "SECRET_KEY": secrets.token_urlsafe(60),
    "ALLOWED_HOSTS": "footing.example",
    # Password resets must really be sent: the console backend fails the deploy check.
    "EMAIL_HOST": "smtp.footing.example",
    # Push needs the deployment's own key (`manage.py vapid_keys`).
    "VAPID_PRIVATE_KEY": vapid_key_generate(),
}


def manage(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    # Only what a deployment would have: none of the test run's own switches (the e2e
    # suite sets DJANGO_ALLOW_ASYNC_UNSAFE, which the deploy check rightly refuses).
    test_only = ("FOOTING_", "DEBUG", "DJANGO_ALLOW_ASYNC_UNSAFE")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(test_only)}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=settings.BASE_DIR,
        env=clean | env,
        capture_output=True,
        text=True,
        check=False,
    )


def test_check_deploy_passes_at_warning_level() -> None:
    done = manage("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)

    assert done.returncode == 0, done.stdout + done.stderr
    assert "no issues" in done.stdout


def test_a_deployment_without_a_secret_key_refuses_to_start() -> None:
    done = manage("check", env={k: v for k, v in PRODUCTION.items() if k != "SECRET_KEY"})

    assert done.returncode != 0
    assert "Set SECRET_KEY" in done.stderr


def test_production_turns_on_https_redirect_hsts_and_secure_cookies() -> None:
    code = (
        "from django.conf import settings as s; "
        "print(s.SECURE_SSL_REDIRECT, s.SECURE_HSTS_SECONDS > 0, s.SESSION_COOKIE_SECURE, "
        "s.CSRF_COOKIE_SECURE, s.DEBUG)"
    )
    done = manage("shell", "-c", code, env=PRODUCTION)

    assert done.stdout.splitlines()[-1].split() == ["True", "True", "True", "True", "False"]
