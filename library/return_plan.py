"""The return-to-running plan (`content/return-to-running.yaml`): read, checked, typed.

Content like the conditions, but one small file with no database rows: it ships with a
release like the self-check rules do, is read once per process, and `load_content` checks
it with the rest so a bad file loads nothing. Mistakes are reported as file, field and
reason through the same `ContentInvalid` error.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Self

from django.conf import settings
from pydantic import Field, model_validator

from library.content_files import (
    ContentInvalid,
    Line,
    Problem,
    Slug,
    Strict,
    Text,
    yaml_file_read,
)

FILE_NAME = "return-to-running.yaml"


class Stage(Strict):
    slug: Slug
    title: Line
    do: Text  # what to do at this stage
    passes: Text = Field(alias="pass")  # when it counts as done


class ReturnPlan(Strict):
    title: Line
    for_conditions: list[Slug] = Field(min_length=1)
    before: Text
    rules: list[Text] = Field(min_length=1)
    stages: list[Stage] = Field(min_length=2)

    @model_validator(mode="after")
    def _slugs_unique(self) -> Self:
        slugs = [stage.slug for stage in self.stages]
        if len(set(slugs)) != len(slugs):
            raise ValueError("every stage needs its own slug")
        return self

    def index(self, slug: str) -> int:
        """The stage's position; an unknown or blank slug is the first stage (a stage
        removed from the file sends its runners back to the start, never forward)."""
        for number, stage in enumerate(self.stages):
            if stage.slug == slug:
                return number
        return 0

    def stage(self, slug: str) -> Stage:
        return self.stages[self.index(slug)]

    def next_after(self, slug: str) -> Stage | None:
        number = self.index(slug) + 1
        return self.stages[number] if number < len(self.stages) else None

    def before_this(self, slug: str) -> Stage | None:
        number = self.index(slug)
        return self.stages[number - 1] if number > 0 else None


def return_plan_read(*, root: Path, conditions: set[str] | None = None) -> ReturnPlan:
    """Read and check `<root>/return-to-running.yaml`; raise ContentInvalid on any mistake.
    With `conditions`, every condition it names must be one of them."""
    plan = yaml_file_read(root, FILE_NAME, ReturnPlan)
    name = f"{root.name}/{FILE_NAME}"
    if conditions is not None:
        unknown = [
            Problem(name, f"for_conditions.{n}", f"unknown condition {slug!r}")
            for n, slug in enumerate(plan.for_conditions)
            if slug not in conditions
        ]
        if unknown:
            raise ContentInvalid(unknown)
    return plan


@cache
def _plan_at(root: Path) -> ReturnPlan:
    return return_plan_read(root=root)


def return_plan() -> ReturnPlan:
    """The plan from `content/`, read and checked once per process."""
    return _plan_at(Path(settings.CONTENT_DIR))
