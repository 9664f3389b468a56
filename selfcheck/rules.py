"""Read `content/self-check.yaml` into validated, typed rules. Nothing here touches the
database.

Mistakes are reported like the rest of the content (file, field, reason, all at once)
through the same `ContentInvalid` error, so `load_content` fails the same way for a bad
condition file and a bad self-check file.
"""

from __future__ import annotations

from itertools import product
from pathlib import Path
from typing import Annotated, Any, Literal, Self

from pydantic import Field, StringConstraints, model_validator

from library.content_files import (
    ContentInvalid,
    Line,
    Problem,
    Strict,
    Urgency,
    yaml_file_read,
)

FILE_NAME = "self-check.yaml"

Answer = Literal["yes", "no", "unsure"]
ANSWERS: tuple[Answer, ...] = ("yes", "no", "unsure")
# Starts with a letter: the browser keeps answers in objects, which reorder numeric keys.
Id = Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$", max_length=50)]
Weight = Annotated[int, Field(ge=-10, le=10)]


class RedFlag(Strict):
    """A warning sign: "yes" is a red flag of this urgency, and so is "Not sure" (as
    "see a doctor today"): nobody is left unsure about a warning sign."""

    urgency: Urgency
    reason: Line


class Effect(Strict):
    """What one answer (yes or no) says: the sentence for "because", the weights, and
    `see_doctor` when that answer needs a doctor before any routine (a look-alike that is
    not a red flag, such as a nerve between the toes)."""

    said: Line
    note: Line | None = None
    weights: dict[Id, Weight] = {}
    see_doctor: Line | None = None


class Question(Strict):
    id: Id
    text: Line
    red_flag: RedFlag | None = None
    # Asked on every path and never counted against `max_questions`, like the red flags
    # (the calf screening: a calf ache can be a clot, whatever else hurts).
    screening: bool = False
    # The article asks this question for these conditions: when one of them leads the
    # result, the question must have been asked (tests walk every profile for it).
    article_for: list[Id] = []
    ask_if: dict[Id, list[Answer]] = {}
    yes: Effect | None = None
    no: Effect | None = None

    @property
    def counts(self) -> bool:
        """Whether answering it uses up one of the `max_questions`."""
        return self.red_flag is None and not self.screening

    @model_validator(mode="after")
    def _does_something(self) -> Self:
        if self.red_flag is None and not any(
            effect and (any(effect.weights.values()) or effect.see_doctor)
            for effect in (self.yes, self.no)
        ):
            raise ValueError("an ordinary question needs weights on its yes or no answer")
        for ref, answers in self.ask_if.items():
            if not answers:
                raise ValueError(f"ask_if.{ref} must list at least one answer")
        return self


class UrgencyAdvice(Strict):
    emergency: Line
    today: Line


class Rules(Strict):
    # Ordinary questions at most; red flags and screening questions come on top.
    max_questions: int = Field(ge=3, le=40)
    doctor_note: Line
    urgency_advice: UrgencyAdvice
    conditions: list[Id] = Field(min_length=1)
    questions: list[Question] = Field(min_length=1)

    @model_validator(mode="after")
    def _doctor_note_names_the_doctor(self) -> Self:
        if "sports medicine doctor" not in self.doctor_note.lower():
            raise ValueError("doctor_note must tell the runner to see a sports medicine doctor")
        return self

    def as_json(self) -> dict[str, Any]:
        """The rules as the browser's evaluator reads them (static/js/selfcheck-evaluator.js)."""
        return self.model_dump(mode="json")


def _check(rules: Rules, condition_files: set[str] | None) -> list[tuple[str, str]]:
    """Rules that need the whole file: references, order, reachability."""
    problems: list[tuple[str, str]] = []
    known = set(rules.conditions)
    if len(known) != len(rules.conditions):
        problems.append(("conditions", "lists a condition twice"))
    if condition_files is not None:
        for slug in sorted(known - condition_files):
            problems.append(("conditions", f"no condition file for {slug!r}"))
        for slug in sorted(condition_files - known):
            problems.append(("conditions", f"{slug!r} has a page but is not in the self-check"))
    seen: set[str] = set()
    ordinary_seen = False
    supported: set[str] = set()
    for index, question in enumerate(rules.questions):
        where = f"questions.{index}"
        if question.id in seen:
            problems.append((f"{where}.id", f"{question.id!r} is used twice"))
        for ref in question.ask_if:
            if ref not in seen:
                reason = f"{ref!r} must be a question asked earlier in the file"
                problems.append((f"{where}.ask_if.{ref}", reason))
        for answer in ("yes", "no"):
            effect = getattr(question, answer)
            for slug, weight in (effect.weights if effect else {}).items():
                if slug not in known:
                    reason = f"unknown condition {slug!r}"
                    problems.append((f"{where}.{answer}.weights.{slug}", reason))
                elif weight > 0:
                    supported.add(slug)
        for index_, slug in enumerate(question.article_for):
            if slug not in known:
                problems.append((f"{where}.article_for.{index_}", f"unknown condition {slug!r}"))
        if question.counts:
            ordinary_seen = True
        elif not question.ask_if and ordinary_seen:
            what = "red_flag" if question.red_flag else "screening"
            reason = "questions that are always asked must come before ordinary questions"
            problems.append((f"{where}.{what}", reason))
        seen.add(question.id)
    for slug in rules.conditions:
        if slug not in supported:
            problems.append(("conditions", f"no answer ever points to {slug!r}"))
    if not problems:
        longest = longest_path(rules)
        if longest > rules.max_questions:
            reason = (
                f"some answers lead to {longest} ordinary questions: raise it to {longest} "
                "so that no question the article asks is cut"
            )
            problems.append(("max_questions", reason))
    return problems


def longest_path(rules: Rules) -> int:
    """The most ordinary questions any run of the check can ask, found by trying every
    answer to the questions that others' `ask_if` names (a handful: heel, forefoot, calf)."""
    named = {ref for question in rules.questions for ref in question.ask_if}
    gates = [q.id for q in rules.questions if q.id in named]
    longest = 0
    for combo in product(ANSWERS, repeat=len(gates)):
        answers = dict(zip(gates, combo, strict=True))
        asked = [
            q
            for q in rules.questions
            if all(answers.get(ref) in allowed for ref, allowed in q.ask_if.items())
        ]
        longest = max(longest, sum(1 for q in asked if q.counts))
    return longest


def selfcheck_rules_read(*, root: Path, check_condition_files: bool = True) -> Rules:
    """Read and check `<root>/self-check.yaml`; raise ContentInvalid on any mistake.

    With `check_condition_files`, the rules must cover exactly the condition pages in
    `<root>/conditions/`, so a new condition cannot be left out of the self-check.
    """
    rules = yaml_file_read(root, FILE_NAME, Rules)
    name = f"{root.name}/{FILE_NAME}"
    files = {p.stem for p in (root / "conditions").glob("*.md")} if check_condition_files else None
    problems = [Problem(name, field, reason) for field, reason in _check(rules, files)]
    if problems:
        raise ContentInvalid(problems)
    return rules
