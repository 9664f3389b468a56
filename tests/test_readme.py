"""The README's management commands work exactly as written in a checkout `make run` set up.

A reader copies `.venv/bin/python manage.py …` from the README into the shell that ran
`make run`: no FOOTING_LOCAL, no SECRET_KEY, only what `make run` left behind (the local
secret key file). Placeholders (USERNAME, SLUG) are filled in; nothing else is changed.
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

from django.conf import settings

README = Path(settings.BASE_DIR) / "README.md"
PYTHON = ".venv/bin/python"
# A clinician command needs someone to make a clinician: the user signs up first.
PLACEHOLDERS = {"USERNAME": "readme-runner@example.com", "SLUG": "readme-clinic"}


def readme_commands() -> list[str]:
    """Every `.venv/bin/python manage.py …` in the README, inline or in a code block."""
    text = README.read_text()
    fence = r"```[a-z]*\n(.*?)```"
    lines = [
        line.strip() for block in re.findall(fence, text, flags=re.S) for line in block.splitlines()
    ]
    # Inline spans, which may wrap onto the next line in the Markdown source.
    spans = [
        " ".join(span.split())
        for span in re.findall(r"`([^`]+)`", re.sub(fence, "", text, flags=re.S))
    ]
    found = [s for s in spans + lines if s.startswith(f"{PYTHON} manage.py ")]
    return list(dict.fromkeys(found))


def as_run(command: str) -> list[str]:
    """The words a shell would run, with the README's placeholders and optional parts
    (`[--name "Clinic name"]`) filled in."""
    command = re.sub(r"\[([^\]]*)\]", r"\1", command)
    words = shlex.split(command)
    unknown = [w for w in words if re.fullmatch(r"[A-Z][A-Z_]+", w) and w not in PLACEHOLDERS]
    assert not unknown, f"add a value for {unknown} to PLACEHOLDERS"
    return [PLACEHOLDERS.get(w, w) for w in words]


def shell_env(database: Path) -> dict[str, str]:
    """The reader's shell: none of the test run's switches, a database of its own."""
    test_only = ("FOOTING_", "DEBUG", "SECRET_KEY", "DJANGO_", "DATABASE_URL")
    clean = {k: v for k, v in os.environ.items() if not k.startswith(test_only)}
    return clean | {"DATABASE_URL": f"sqlite:///{database}"}


def run(words: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    if words[0] == PYTHON:
        words = [sys.executable, *words[1:]]  # the same interpreter, wherever .venv is
    return subprocess.run(
        words, cwd=settings.BASE_DIR, env=env, capture_output=True, text=True, check=False
    )


def test_the_readme_shows_its_management_commands() -> None:
    commands = readme_commands()

    assert any("load_content" in c for c in commands)
    assert any("clinic_add_staff" in c for c in commands)


def test_readme_management_commands_run_as_written(tmp_path: Path) -> None:
    # `make run` generated the local key; the test settings make the same file.
    assert (Path(settings.BASE_DIR) / ".local-secret-key").exists()
    env = shell_env(tmp_path / "readme.sqlite3")
    # What `make run` did (migrate) and the sign-up, in one start-up of Django (each
    # start-up is seconds of a core; the README's own commands each get their own).
    setup = [
        PYTHON,
        "manage.py",
        "shell",
        "-c",
        "from django.core.management import call_command; "
        "call_command('migrate', interactive=False, verbosity=0); "
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user({PLACEHOLDERS['USERNAME']!r})",
    ]
    done = run(setup, env)
    assert done.returncode == 0, done.stderr

    for command in readme_commands():
        words = as_run(command)
        if words[2] in LONG_RUNNING:
            runs_until_stopped(words, env)
            continue
        done = run(words, env)
        assert done.returncode == 0, f"{command}\n{done.stdout}\n{done.stderr}"


# Commands that serve until stopped: each must start, then stop cleanly on SIGTERM.
LONG_RUNNING = {"worker": "Starting worker"}


def runs_until_stopped(words: list[str], env: dict[str, str]) -> None:
    process = subprocess.Popen(
        [sys.executable, *words[1:]],
        cwd=settings.BASE_DIR,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        assert process.stdout is not None
        started = LONG_RUNNING[words[2]]
        seen = []
        for line in process.stdout:  # ends if the process exits early
            seen.append(line)
            if started in line:
                break
        assert process.poll() is None, "".join(seen)
        process.terminate()
        assert process.wait(timeout=60) == 0, "".join(seen)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        if process.stdout is not None:
            process.stdout.close()


def test_a_deployment_without_the_local_key_file_is_not_made_local(tmp_path: Path) -> None:
    """The local default comes from the key file `make run` leaves, nothing else: a
    deployment that says FOOTING_LOCAL=0 still has to set SECRET_KEY."""
    env = shell_env(tmp_path / "deploy.sqlite3") | {"FOOTING_LOCAL": "0"}
    done = run([PYTHON, "manage.py", "check"], env)

    assert done.returncode != 0
    assert "Set SECRET_KEY" in done.stderr
