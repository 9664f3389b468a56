from __future__ import annotations

import shutil
from io import StringIO
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import CommandError, call_command

from library.content_files import ContentInvalid, Yaml12Loader
from library.models import Condition
from selfcheck.rules import FILE_NAME, selfcheck_rules_read


@pytest.fixture
def content(tmp_path: Path) -> Path:
    """A copy of the clinic's content to break."""
    root = tmp_path / "content"
    shutil.copytree(settings.CONTENT_DIR, root)
    return root


def edit(root: Path, change) -> None:
    path = root / FILE_NAME
    data = _load(path)
    change(data)
    path.write_text(yaml.safe_dump(data, sort_keys=False))


def _load(path: Path) -> dict:
    # Read as the app does, so yes/no keys stay words when written back.
    return yaml.load(path.read_text(), Loader=Yaml12Loader)


def problems(root: Path) -> list[str]:
    with pytest.raises(ContentInvalid) as caught:
        selfcheck_rules_read(root=root)
    return [str(p) for p in caught.value.problems]


def test_the_clinics_rules_are_valid_and_cover_every_condition() -> None:
    rules = selfcheck_rules_read(root=settings.CONTENT_DIR)

    pages = {p.stem for p in (settings.CONTENT_DIR / "conditions").glob("*.md")}
    assert set(rules.conditions) == pages
    ids = [q.id for q in rules.questions]
    assert len(ids) == len(set(ids))
    # The article's questions and differentiators, and CLINICAL.md's red flags, are all there.
    for wanted in (
        "morning-hobble",
        "heel-centre-bruise",
        "heel-cup-eases",
        "hard-floors",
        "toes-burning",
        "worse-through-day",
        "better-hard-shoes",
        "calf-ache-running",
        "rf-calf-after-travel",
        "rf-numb-foot",
        "rf-rest-night",
        "rf-cant-bear-weight",
        "rf-leg-pain-not-easing",
        "rf-saddle-numbness",
        "rf-hot-red-fever",
    ):
        assert wanted in ids


def test_yes_and_no_stay_words_not_booleans() -> None:
    rules = selfcheck_rules_read(root=settings.CONTENT_DIR)
    forefoot = next(q for q in rules.questions if q.id == "forefoot-pain")

    assert forefoot.ask_if == {"heel-pain": ["no", "unsure"]}
    assert forefoot.yes is not None and forefoot.no is not None


def test_unknown_condition_in_weights_names_file_field_and_reason(content: Path) -> None:
    edit(content, lambda d: d["questions"][8]["yes"]["weights"].update({"knee-pain": 2}))

    assert problems(content) == [
        "content/self-check.yaml: questions.8.yes.weights.knee-pain: unknown condition 'knee-pain'"
    ]


def test_shape_errors_are_reported_by_field(content: Path) -> None:
    def break_it(data: dict) -> None:
        data["questions"][0]["red_flag"]["urgency"] = "soon"
        del data["questions"][1]["text"]

    edit(content, break_it)

    found = problems(content)
    assert any("questions.0.red_flag.urgency" in p and "'emergency' or 'today'" in p for p in found)
    assert any("questions.1.text: Field required" in p for p in found)


@pytest.mark.parametrize(
    ("change", "field", "reason"),
    [
        (lambda d: d["questions"].insert(0, d["questions"][8]), "questions.9.id", "used twice"),
        (
            lambda d: d["questions"][2].update(ask_if={"heel-pain": ["yes"]}),
            "questions.2.ask_if.heel-pain",
            "asked earlier",
        ),
        (
            lambda d: d["questions"].append(
                {"id": "rf-late", "text": "Late?", "red_flag": {"urgency": "today", "reason": "x"}}
            ),
            "questions.",
            "must come before ordinary questions",
        ),
        (lambda d: d.update(max_questions=7), "max_questions", "no question the article asks"),
        (
            lambda d: d["questions"].append(
                {
                    "id": "late-screen",
                    "text": "Late?",
                    "screening": True,
                    "yes": {"said": "x", "weights": {"metatarsalgia": 1}},
                }
            ),
            "questions.",
            "must come before ordinary questions",
        ),
        (
            lambda d: d["questions"][11].update(article_for=["knee-pain"]),
            "questions.11.article_for.0",
            "unknown condition",
        ),
        (
            lambda d: d["conditions"].remove("stress-fracture"),
            "conditions",
            "not in the self-check",
        ),
        (lambda d: d.update(doctor_note="Rest it."), "doctor_note", "sports medicine doctor"),
        (
            lambda d: d["questions"].append({"id": "idle", "text": "Anything?"}),
            "questions.",
            "needs weights",
        ),
    ],
)
def test_rules_that_need_the_whole_file(content: Path, change, field: str, reason: str) -> None:
    edit(content, change)

    found = problems(content)
    assert any(field in p and reason in p for p in found), found


def test_a_missing_file_is_a_problem_too(content: Path) -> None:
    (content / FILE_NAME).unlink()

    assert problems(content) == ["content/self-check.yaml: (file): does not exist"]


def test_bad_yaml_names_the_line(content: Path) -> None:
    (content / FILE_NAME).write_text("max_questions: 12\nquestions: [\n")

    [problem] = problems(content)
    assert problem.startswith("content/self-check.yaml: line ")
    assert "not valid YAML" in problem


@pytest.mark.django_db
def test_load_content_fails_clearly_on_a_bad_self_check_and_loads_nothing(content: Path) -> None:
    edit(content, lambda d: d["questions"][8]["yes"]["weights"].update({"knee-pain": 2}))

    with pytest.raises(
        CommandError, match=r"questions\.8\.yes\.weights\.knee-pain: unknown condition"
    ):
        call_command("load_content", path=content, stdout=StringIO())
    assert not Condition.objects.exists()


@pytest.mark.django_db
def test_load_content_accepts_the_clinics_rules() -> None:
    call_command("load_content", path=settings.CONTENT_DIR, stdout=StringIO())

    assert Condition.objects.count() == 5
