from __future__ import annotations

import pytest
from django.conf import settings
from hypothesis import given
from hypothesis import strategies as st

from footing.errors import Invalid
from selfcheck.evaluator import (
    answers_check,
    answers_decode,
    answers_step,
    progress,
    question_next,
    selfcheck_evaluate,
)
from selfcheck.rules import ANSWERS, selfcheck_rules_read
from tests.selfcheck.profiles import PROFILES, walk

RULES = selfcheck_rules_read(root=settings.CONTENT_DIR)
DOCTOR_FIRST = {"posterior-compartment-syndrome"}
IDS = [q.id for q in RULES.questions]
RED_FLAGS = [q.id for q in RULES.questions if q.red_flag]
ALWAYS_ASKED_RED_FLAGS = [q.id for q in RULES.questions if q.red_flag and not q.ask_if]


def assert_red_flags_first(asked: list[str]) -> None:
    """Every always-asked red flag is asked, before any ordinary question."""
    first_ordinary = next((i for i, a in enumerate(asked) if a not in RED_FLAGS), len(asked))
    assert set(ALWAYS_ASKED_RED_FLAGS) <= set(asked[:first_ordinary])


def evaluate(answers):
    return selfcheck_evaluate(rules=RULES, answers=answers, doctor_first=DOCTOR_FIRST)


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_each_profile_lands_on_its_condition(profile) -> None:
    outcome = evaluate(walk(RULES, profile.symptoms))

    top = outcome.conditions[0] if outcome.conditions else None
    assert (top.slug if top else None) == profile.top
    assert outcome.urgency == profile.urgency
    for words in profile.because:
        assert any(words in sentence for sentence in top.because), top.because


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_red_flags_are_asked_first_and_the_check_stays_short(profile) -> None:
    asked = list(walk(RULES, profile.symptoms))

    assert_red_flags_first(asked)
    ordinary = [a for a in asked if a not in RED_FLAGS]
    assert len(ordinary) + len(ALWAYS_ASKED_RED_FLAGS) <= RULES.max_questions
    assert len(asked) <= 14  # 12, plus red-flag follow-ups that a yes or a calf ache asks for


def test_heel_answers_skip_the_forefoot_and_calf_questions() -> None:
    asked = walk(RULES, {"heel-pain": "yes"})

    assert "heel-cup-eases" in asked
    assert not {"forefoot-pain", "worse-through-day", "calf-ache-running"} & set(asked)
    assert len(asked) == RULES.max_questions


def test_the_clot_question_follows_a_calf_after_travel() -> None:
    answers = {rf: "no" for rf in ALWAYS_ASKED_RED_FLAGS[:4]}

    assert question_next(rules=RULES, answers=answers).id == "rf-calf-after-travel"
    answers["rf-calf-after-travel"] = "yes"
    assert question_next(rules=RULES, answers=answers).id == "rf-clot-in-lung"
    answers["rf-calf-after-travel"] = "no"
    assert question_next(rules=RULES, answers=answers).id == "rf-rest-night"


def test_red_flags_are_never_cut_by_the_question_limit() -> None:
    answers = walk(RULES, {"heel-pain": "no", "forefoot-pain": "no", "calf-ache-running": "yes"})

    assert len(answers) == RULES.max_questions + 1
    assert list(answers)[-2:] == ["rf-eases-standing-still", "rf-eases-sitting-bending"]


def test_posterior_compartment_syndrome_never_offers_a_routine() -> None:
    outcome = evaluate({"calf-ache-running": "yes", "eases-after-rest": "yes"})

    assert outcome.red_flags == []
    assert [(m.slug, m.routines) for m in outcome.conditions] == [
        ("posterior-compartment-syndrome", False)
    ]


def test_a_plain_answer_set_offers_routines() -> None:
    outcome = evaluate({"heel-pain": "yes", "morning-hobble": "yes"})

    assert outcome.conditions[0].slug == "plantar-fasciitis"
    assert outcome.conditions[0].routines is True


def test_emergency_red_flags_come_before_see_a_doctor_today() -> None:
    outcome = evaluate(
        {"rf-rest-night": "yes", "rf-cant-bear-weight": "yes", "rf-saddle-numbness": "yes"}
    )

    assert [(hit.id, hit.urgency) for hit in outcome.red_flags] == [
        ("rf-saddle-numbness", "emergency"),
        ("rf-cant-bear-weight", "today"),
        ("rf-rest-night", "today"),
    ]


def test_not_sure_on_a_red_flag_means_a_doctor_today_unless_the_clinic_says_ignore() -> None:
    outcome = evaluate({"rf-saddle-numbness": "unsure", "rf-eases-standing-still": "unsure"})

    assert [(hit.id, hit.urgency, hit.answer) for hit in outcome.red_flags] == [
        ("rf-saddle-numbness", "today", "unsure")
    ]


def test_because_names_the_answers_in_question_order() -> None:
    outcome = evaluate({"morning-hobble": "yes", "heel-pain": "yes", "heel-cup-eases": "no"})

    assert outcome.conditions[0].because == [
        "You said the pain is under your heel or along your arch.",
        "You said cupping your heel does not ease the pain. The article says that if holding "
        "the heel steady does not help, think plantar fasciitis.",
        "You said you hobble on your first steps in the morning. Pain that is worst on the "
        "first steps after rest is the classic sign of plantar fasciitis.",
    ]


def test_progress_counts_against_about_the_limit() -> None:
    assert progress(rules=RULES, answers={}) == (1, RULES.max_questions)
    many = dict.fromkeys(IDS[:13], "no")
    assert progress(rules=RULES, answers=many) == (14, 14)


def test_unknown_ids_and_values_are_refused() -> None:
    with pytest.raises(Invalid, match="no self-check question 'knee'"):
        answers_check(rules=RULES, answers={"knee": "yes"})
    with pytest.raises(Invalid, match="yes, no or unsure"):
        answers_check(rules=RULES, answers={"heel-pain": "maybe"})


def test_back_drops_the_last_answer_and_a_new_answer_moves_to_the_end() -> None:
    answers = answers_decode(["rf-cant-bear-weight:no", "rf-hot-red-fever:yes"])

    back = answers_step(rules=RULES, answers=answers, question="", answer="", back=True)
    assert back == {"rf-cant-bear-weight": "no"}
    again = answers_step(
        rules=RULES, answers=answers, question="rf-cant-bear-weight", answer="yes", back=False
    )
    assert list(again.items()) == [("rf-hot-red-fever", "yes"), ("rf-cant-bear-weight", "yes")]


answer_sets = st.dictionaries(st.sampled_from(IDS), st.sampled_from(ANSWERS))


@given(answers=answer_sets, red_flag=st.sampled_from(RED_FLAGS))
def test_any_red_flag_yes_comes_first_and_never_leads_to_a_routine(answers, red_flag) -> None:
    outcome = evaluate({**answers, red_flag: "yes"})

    assert outcome.red_flags, "a red flag answered yes must give a red-flag outcome"
    assert red_flag in [hit.id for hit in outcome.red_flags]
    assert outcome.urgency in ("emergency", "today")
    urgencies = [hit.urgency for hit in outcome.red_flags]
    assert urgencies == sorted(urgencies, key=("emergency", "today").index)
    assert not any(match.routines for match in outcome.conditions)


@given(answers=answer_sets)
def test_rankings_are_ordered_and_explained(answers) -> None:
    outcome = evaluate(answers)

    scores = [match.score for match in outcome.conditions]
    assert scores == sorted(scores, reverse=True)
    assert all(score > 0 for score in scores)
    assert all(match.because for match in outcome.conditions)
    assert not any(m.routines for m in outcome.conditions if m.slug in DOCTOR_FIRST)


@given(choices=st.lists(st.sampled_from(ANSWERS), min_size=30, max_size=30))
def test_every_walk_is_short_and_asks_red_flags_first(choices) -> None:
    answers: dict[str, str] = {}
    while (question := question_next(rules=RULES, answers=answers)) is not None:
        answers[question.id] = choices[len(answers)]

    asked = list(answers)
    assert_red_flags_first(asked)
    ordinary = [a for a in asked if a not in RED_FLAGS]
    assert len(ordinary) + len(ALWAYS_ASKED_RED_FLAGS) <= RULES.max_questions
    assert len(asked) <= 14
