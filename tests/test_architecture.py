"""The architecture contract (pyproject.toml [tool.importlinter], run by `make lint`) covers
every app, and really fails when someone adds an upward import, a cycle between apps, an
adapter importing the other adapter, or a read of another app's models."""

from __future__ import annotations

import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

from django.apps import apps
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
CONFIG = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
LINT = Path(sys.executable).parent / "lint-imports"


def local_apps() -> set[str]:
    """The installed apps that are this project's own folders (not the venv's packages)."""
    names = {config.name.split(".")[0] for config in apps.get_app_configs()}
    return {name for name in names if (ROOT / name / "__init__.py").exists()}


def layered() -> set[str]:
    [layers] = [c for c in CONFIG["contracts"] if c["type"] == "layers"]
    return {name.strip() for layer in layers["layers"] for name in layer.split("|")}


def test_every_app_sits_in_one_layer_and_is_checked() -> None:
    """A new app must be placed in the layers (PROTOCOL "The layers") before it can land."""
    packages = set(CONFIG["root_packages"])
    assert local_apps() | {"api"} <= packages, local_apps() - packages
    assert layered() == packages


def test_every_domain_app_has_a_models_boundary() -> None:
    guarded = {c["source_modules"][0] for c in CONFIG["contracts"] if c["type"] == "forbidden"}
    assert guarded == layered() - {"footing", "api", "pwa"}


def run_lint(where: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT), "--no-cache", "--no-logo"],
        cwd=where,
        env={"PYTHONPATH": str(where), "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_the_contract_breaks_on_each_kind_of_violation(tmp_path: Path) -> None:
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    for package in CONFIG["root_packages"]:
        shutil.copytree(
            ROOT / package,
            tmp_path / package,
            ignore=shutil.ignore_patterns("__pycache__", "migrations"),
        )
    violations = {
        # An app reaching up a layer: journal is below clinic.
        "journal/upward.py": "from clinic.selectors import invitations\n",
        # A cycle between apps, dodged inside a function: library imports journal back.
        "library/cycle.py": "def late():\n    from journal import selectors\n",
        # One adapter importing the other.
        "api/adapter.py": "from pwa import offline\n",
        # Another app's models instead of its selectors.
        "journal/models_read.py": "from accounts.models import Profile\n",
    }
    for path, source in violations.items():
        (tmp_path / path).write_text(source)

    result = run_lint(tmp_path)

    assert result.returncode == 1, result.stdout + result.stderr
    for line in (
        "journal.upward -> clinic.selectors",
        "library.cycle -> journal.selectors",
        "api.adapter -> pwa.offline",
        "journal.models_read -> accounts.models",
    ):
        assert line in result.stdout, f"{line} not reported:\n{result.stdout}"


def test_the_tree_as_it_is_keeps_the_contract() -> None:
    result = run_lint(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
