from __future__ import annotations

from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

from footing.env import env_bool, env_list, secret_key


def test_a_deployment_must_set_its_secret_key(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)

    with pytest.raises(ImproperlyConfigured):
        secret_key(local=False, key_file=tmp_path / "key")


def test_a_local_secret_key_is_generated_once_and_kept(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)

    first = secret_key(local=True, key_file=tmp_path / "key")

    assert len(first) >= 50
    assert secret_key(local=True, key_file=tmp_path / "key") == first
    monkeypatch.setenv("SECRET_KEY", "from-the-environment")
    assert secret_key(local=True, key_file=tmp_path / "key") == "from-the-environment"


def test_env_helpers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FLAG", "yes")
    monkeypatch.setenv("HOSTS", " a.example, b.example ,")

    assert env_bool("FLAG") is True
    assert env_bool("MISSING", default=True) is True
    assert env_list("HOSTS", []) == ["a.example", "b.example"]
    assert env_list("MISSING", ["x"]) == ["x"]
