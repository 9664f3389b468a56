"""Read `content/` into validated, typed objects. Nothing here touches the database.

Every problem is reported as file, field and reason, all files at once, so the clinic
can fix a batch of mistakes in one go.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Literal, Self

import markdown
import yaml
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    model_validator,
)

from footing.errors import FootingError
from library.doses import (
    HoldSeconds,
    Minutes,
    Reps,
    RestSeconds,
    Sets,
    measures_given,
)
from library.models import Goal, Phase

Slug = Annotated[str, StringConstraints(pattern=r"^[a-z0-9]+(?:-[a-z0-9]+)*$", max_length=50)]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
Line = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=300)]
Cue = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=60)]
Urgency = Literal["emergency", "today"]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class LookAlike(Strict):
    name: Text
    how_to_tell: Text
    slug: Slug | None = None


class RedFlag(Strict):
    text: Text
    urgency: Urgency


class TreatmentGroup(Strict):
    heading: Text
    items: list[Text] = Field(min_length=1)


class ConditionFile(Strict):
    slug: Slug
    name: Line
    order: int = Field(ge=0, le=1000)
    summary: Text
    where_it_hurts: Text
    doctor_first: bool = False
    symptom_questions: list[Line] = Field(min_length=1)
    causes: list[Text] = Field(min_length=1)
    look_alikes: list[LookAlike] = []
    red_flags: list[RedFlag] = Field(min_length=1)
    treatments: list[TreatmentGroup] = Field(min_length=1)
    recovery: Text
    doctor_note: Text
    sources: list[Text] = []
    body: str = ""

    @model_validator(mode="after")
    def _doctor_note_names_the_doctor(self) -> Self:
        if "sports medicine doctor" not in self.doctor_note.lower():
            raise ValueError("doctor_note must tell the runner to see a sports medicine doctor")
        return self


class Dose(Strict):
    """An exercise's default dose: the limits are library/doses.py's, as everywhere."""

    sets: Sets
    reps: Reps | None = None
    hold_seconds: HoldSeconds | None = None
    minutes: Minutes | None = None
    rest_seconds: RestSeconds = 0

    @model_validator(mode="after")
    def _exactly_one_measure(self) -> Self:
        given = measures_given(self)
        if len(given) != 1:
            # Worded with the file's own field names, for whoever edits the file.
            raise ValueError(
                "give exactly one of reps, hold_seconds or minutes"
                + (f" (found {', '.join(given)})" if given else "")
            )
        return self


class ExerciseDose(Dose):
    per_side: bool = False
    tempo: str = ""
    frequency: str = ""


class ExerciseFile(Strict):
    slug: Slug
    name: Line
    goal: Goal
    conditions: list[Slug] = []
    equipment: list[Line] = []
    summary: Text
    starting_position: Text
    movement: Text
    cues: list[Cue] = Field(min_length=1, max_length=6)
    dose: ExerciseDose
    progression: Text
    regression: Text
    safety: list[Text] = []
    source: Text
    body: str = ""


class RoutineItemFile(Strict):
    """One routine item: what it leaves out is the exercise's default dose."""

    exercise: Slug
    sets: Sets | None = None
    reps: Reps | None = None
    hold_seconds: HoldSeconds | None = None
    minutes: Minutes | None = None
    rest_seconds: RestSeconds | None = None
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=300)] = ""


class RoutineFile(Strict):
    slug: Slug
    title: Line
    order: int = Field(ge=0, le=1000)
    summary: Text
    conditions: list[Slug] = Field(min_length=1)
    phase: Phase
    frequency: Line
    changelog: Line
    items: list[RoutineItemFile] = Field(min_length=1, max_length=60)
    body: str = ""


@dataclass(frozen=True)
class Problem:
    file: str
    field: str
    reason: str

    def __str__(self) -> str:
        return f"{self.file}: {self.field}: {self.reason}"


class ContentInvalid(FootingError):
    """The content folder has mistakes; nothing was loaded."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = problems
        lines = "\n".join(f"  {p}" for p in problems)
        summary = f"{len(problems)} problem(s) in the content; nothing was changed:"
        super().__init__(f"{summary}\n{lines}")


@dataclass(frozen=True)
class ContentBundle:
    conditions: list[ConditionFile]
    exercises: list[ExerciseFile]
    routines: list[RoutineFile]


FRONT_MATTER = re.compile(r"\A---[ \t]*\n(?P<meta>.*?)\n---[ \t]*(?:\n|\Z)(?P<body>.*)\Z", re.S)


def render_markdown(text: str) -> str:
    """The clinic's own trusted text; rendered once at load time, not per request."""
    return markdown.markdown(text.strip(), extensions=["sane_lists"]) if text.strip() else ""


def _field_name(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(file)"


def _display_name(root: Path, folder: str, slug: str) -> str:
    return f"{root.name}/{folder}/{slug}.md"


def _read_file[M: BaseModel](
    path: Path, model: type[M], root: Path, problems: list[Problem]
) -> M | None:
    name = _display_name(root, path.parent.name, path.stem)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        problems.append(Problem(name, "(file)", "is not UTF-8 text"))
        return None
    match = FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if not match:
        reason = "must start with a front matter block between --- lines"
        problems.append(Problem(name, "(file)", reason))
        return None
    try:
        meta = yaml.safe_load(match["meta"])
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 2}" if mark else "(front matter)"
        reason = f"is not valid YAML: {getattr(error, 'problem', error)}"
        problems.append(Problem(name, where, reason))
        return None
    if not isinstance(meta, dict):
        problems.append(Problem(name, "(front matter)", "must be a set of `field: value` lines"))
        return None
    try:
        parsed = model.model_validate({**meta, "body": match["body"]})
    except ValidationError as error:
        for detail in error.errors():
            problems.append(Problem(name, _field_name(detail["loc"]), detail["msg"]))
        return None
    if getattr(parsed, "slug", None) != path.stem:
        problems.append(Problem(name, "slug", f"must match the file name ({path.stem!r})"))
        return None
    return parsed


class Yaml12Loader(yaml.SafeLoader):
    """YAML 1.2 booleans: `yes`, `no`, `on` and `off` stay words (the self-check's answers
    are literally yes and no, and YAML 1.1 would quietly turn them into true and false).
    A SafeLoader subclass: no Python objects, only the booleans changed."""


_BOOL = "tag:yaml.org,2002:bool"
Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != _BOOL]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver(
    _BOOL, re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$"), list("tTfF")
)


def yaml_file_read[M: BaseModel](root: Path, file_name: str, model: type[M]) -> M:
    """Read one whole-file YAML content file, `<root>/<file_name>` (the self-check rules,
    the return-to-running plan), into `model`; raise ContentInvalid naming the file, the
    field (or line) and the reason for every mistake pydantic finds."""
    name = f"{root.name}/{file_name}"
    try:
        data = yaml.load((root / file_name).read_text(encoding="utf-8"), Loader=Yaml12Loader)
    except FileNotFoundError:
        raise ContentInvalid([Problem(name, "(file)", "does not exist")]) from None
    except UnicodeDecodeError:
        raise ContentInvalid([Problem(name, "(file)", "is not UTF-8 text")]) from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        where = f"line {mark.line + 1}" if mark else "(file)"
        reason = f"is not valid YAML: {getattr(error, 'problem', error)}"
        raise ContentInvalid([Problem(name, where, reason)]) from None
    if not isinstance(data, dict):
        raise ContentInvalid([Problem(name, "(file)", "must be a set of `field: value` lines")])
    try:
        return model.model_validate(data)
    except ValidationError as error:
        problems = [
            Problem(name, _field_name(detail["loc"]), detail["msg"]) for detail in error.errors()
        ]
        raise ContentInvalid(problems) from None


def _read_folder[M: BaseModel](
    root: Path, folder: str, model: type[M], problems: list[Problem]
) -> list[M]:
    paths = sorted((root / folder).glob("*.md"))
    found = [_read_file(path, model, root, problems) for path in paths]
    return [item for item in found if item is not None]


def _check_references(root: Path, bundle: ContentBundle, problems: list[Problem]) -> None:
    conditions = {c.slug: c for c in bundle.conditions}
    exercises = {e.slug for e in bundle.exercises}
    doctor_first = {slug for slug, c in conditions.items() if c.doctor_first}

    def condition_refs(file: str, slugs: list[str]) -> None:
        for index, slug in enumerate(slugs):
            if slug not in conditions:
                problems.append(Problem(file, f"conditions.{index}", f"unknown condition {slug!r}"))
            elif slug in doctor_first:
                reason = f"{slug!r} is doctor-first: it never gets exercises or routines"
                problems.append(Problem(file, f"conditions.{index}", reason))

    for condition in bundle.conditions:
        for index, look_alike in enumerate(condition.look_alikes):
            if look_alike.slug and look_alike.slug not in conditions:
                file = _display_name(root, "conditions", condition.slug)
                reason = f"unknown condition {look_alike.slug!r}"
                problems.append(Problem(file, f"look_alikes.{index}.slug", reason))
    for exercise in bundle.exercises:
        condition_refs(_display_name(root, "exercises", exercise.slug), exercise.conditions)
    for routine in bundle.routines:
        file = _display_name(root, "routines", routine.slug)
        condition_refs(file, routine.conditions)
        for index, item in enumerate(routine.items):
            if item.exercise not in exercises:
                reason = f"unknown exercise {item.exercise!r}"
                problems.append(Problem(file, f"items.{index}.exercise", reason))
            if len(measures_given(item)) > 1:
                reason = "give at most one of reps, hold_seconds or minutes"
                problems.append(Problem(file, f"items.{index}", reason))


def content_read(*, root: Path) -> ContentBundle:
    """Read and check every content file under `root`; raise ContentInvalid on any mistake."""
    problems: list[Problem] = []
    if not root.is_dir():
        raise ContentInvalid([Problem(str(root), "(folder)", "does not exist")])
    bundle = ContentBundle(
        conditions=_read_folder(root, "conditions", ConditionFile, problems),
        exercises=_read_folder(root, "exercises", ExerciseFile, problems),
        routines=_read_folder(root, "routines", RoutineFile, problems),
    )
    _check_references(root, bundle, problems)
    if problems:
        raise ContentInvalid(problems)
    return bundle
