"""The whole-file YAML content (the self-check rules, the return-to-running plan) goes
through one reader, library.content_files.yaml_file_read: each mistake is told the same way
(file, field or line, reason) whichever file has it."""

from __future__ import annotations

import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from django.conf import settings

from library import return_plan
from library.content_files import ContentInvalid, Yaml12Loader
from selfcheck import rules

Reader = Callable[[Path], object]

READERS = [
    pytest.param(rules.FILE_NAME, lambda root: rules.selfcheck_rules_read(root=root), id="rules"),
    pytest.param(
        return_plan.FILE_NAME,
        lambda root: return_plan.return_plan_read(root=root),
        id="return-plan",
    ),
]


@pytest.fixture
def content(tmp_path: Path) -> Path:
    root = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, root)
    return root


def told(read: Reader, root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        read(root)
    return [str(problem) for problem in caught.value.problems]


@pytest.mark.parametrize(("file", "read"), READERS)
def test_the_clinics_file_reads(file: str, read: Reader) -> None:
    assert read(Path(settings.CONTENT_DIR)) is not None


@pytest.mark.parametrize(("file", "read"), READERS)
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (None, "(file): does not exist"),
        (b"\xff\xfe title", "(file): is not UTF-8 text"),
        (
            b"title: x\nstages: [\n",
            "line 3: is not valid YAML: expected the node content, but found '<stream end>'",
        ),
        (b"- a list\n- not fields\n", "(file): must be a set of `field: value` lines"),
        (b"just words\n", "(file): must be a set of `field: value` lines"),
    ],
)
def test_a_file_that_is_not_yaml_fields_is_told_as_such(
    content: Path, file: str, read: Reader, text: bytes | None, expected: str
) -> None:
    path = content / file
    if text is None:
        path.unlink()
    else:
        path.write_bytes(text)

    assert told(read, content) == [f"content/{file}: {expected}"]


@pytest.mark.parametrize(("file", "read"), READERS)
def test_every_field_mistake_is_told_with_its_path(content: Path, file: str, read: Reader) -> None:
    data = yaml.load((content / file).read_text(), Loader=Yaml12Loader)
    data["surprise"] = 1  # an unknown field
    first = next(key for key, value in data.items() if isinstance(value, str))
    data[first] = ""  # a required text left blank
    (content / file).write_text(yaml.safe_dump(data, sort_keys=False))

    problems = told(read, content)

    assert f"content/{file}: surprise: Extra inputs are not permitted" in problems
    assert any(
        p.startswith(f"content/{file}: {first}: String should have at least") for p in problems
    )


def test_yes_and_no_stay_words() -> None:
    """YAML 1.1 would read an answer `no` as False; the files are read as YAML 1.2."""
    assert yaml.load("a: no\nb: yes\nc: on\nd: true\n", Loader=Yaml12Loader) == {
        "a": "no",
        "b": "yes",
        "c": "on",
        "d": True,
    }


def test_the_return_plan_names_a_condition_that_does_not_exist(content: Path) -> None:
    plan = yaml.load((content / return_plan.FILE_NAME).read_text(), Loader=Yaml12Loader)
    plan["for_conditions"] = ["stress-fracture", "shin-splints"]
    (content / return_plan.FILE_NAME).write_text(yaml.safe_dump(plan, sort_keys=False))

    with pytest.raises(ContentInvalid) as caught:
        return_plan.return_plan_read(root=content, conditions={"stress-fracture"})

    assert [str(p) for p in caught.value.problems] == [
        "content/return-to-running.yaml: for_conditions.1: unknown condition 'shin-splints'"
    ]
