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
from selfcheck.rules import ANSWERS, longest_path, selfcheck_rules_read
from tests.selfcheck.profiles import PROFILES, walk

RULES = selfcheck_rules_read(root=settings.CONTENT_DIR)
DOCTOR_FIRST = {"posterior-compartment-syndrome"}
IDS = [q.id for q in RULES.questions]
RED_FLAGS = [q.id for q in RULES.questions if q.red_flag]
# Red flags and the calf screening: asked on every path, never counted against the budget.
EVERY_PATH = [q.id for q in RULES.questions if not q.counts and not q.ask_if]
CALF_SCREENING = ["calf-ache-running", "rf-eases-standing-still", "rf-eases-sitting-bending"]
ORDINARY = {q.id for q in RULES.questions if q.counts}


def assert_red_flags_first(asked: list[str]) -> None:
    """Every red flag and screening question is asked, before any ordinary question."""
    first_ordinary = next((i for i, a in enumerate(asked) if a in ORDINARY), len(asked))
    assert set(EVERY_PATH) <= set(asked[:first_ordinary])


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
    ordinary = [a for a in asked if a in ORDINARY]
    assert len(ordinary) <= RULES.max_questions


@pytest.mark.parametrize("profile", PROFILES, ids=[p.name for p in PROFILES])
def test_every_question_the_article_asks_for_the_leading_condition_is_asked(profile) -> None:
    asked = walk(RULES, profile.symptoms)
    outcome = evaluate(asked)
    if not outcome.conditions:
        return
    top = outcome.conditions[0].slug
    own = [q.id for q in RULES.questions if top in q.article_for]
    assert own, f"the rules name no article question for {top}"
    assert set(own) <= set(asked), set(own) - set(asked)


def test_heel_answers_skip_the_forefoot_questions_but_never_the_calf_screening() -> None:
    asked = walk(RULES, {"heel-pain": "yes"})

    assert "heel-cup-eases" in asked
    assert not {"forefoot-pain", "worse-through-day"} & set(asked)
    assert set(CALF_SCREENING) <= set(asked)
    # Every heel question the article asks, none cut by the budget.
    for question in ("arch-stab", "stiff-after-sitting", "heel-press-tender", "hard-floors"):
        assert question in asked


def test_the_clot_in_the_lung_is_asked_whatever_the_travel_answer() -> None:
    for travel in ANSWERS:
        asked = walk(RULES, {"rf-calf-after-travel": travel})
        assert "rf-clot-in-lung" in asked


def test_red_flags_and_the_calf_screening_are_never_cut_by_the_question_limit() -> None:
    answers = walk(
        RULES,
        {"heel-pain": "unsure", "forefoot-pain": "unsure", "calf-ache-running": "yes"},
    )
    assert set(EVERY_PATH) <= set(answers)
    assert len([a for a in answers if a in ORDINARY]) <= RULES.max_questions
    assert {q.id for q in RULES.questions if q.counts} <= set(answers)  # nothing cut


def test_the_budget_leaves_no_path_short() -> None:
    assert longest_path(RULES) <= RULES.max_questions


# The article's symptom profiles the issue names, with where each must be routed.
ROUTED = [
    (
        "heel pain and a calf ache: a doctor first, no routine",
        {"heel-pain": "yes", "morning-hobble": "yes", "calf-ache-running": "yes"},
        {"urgency": None, "see_doctor": ["calf-ache-running"]},
    ),
    (
        "heel pain and calf pain that fades standing still: vascular, a doctor today",
        {"heel-pain": "yes", "morning-hobble": "yes", "rf-eases-standing-still": "yes"},
        {"urgency": "today", "see_doctor": []},
    ),
    (
        "heel pain and pain eased by sitting or bending: the back, a doctor today",
        {"heel-pain": "yes", "rf-eases-sitting-bending": "yes"},
        {"urgency": "today", "see_doctor": []},
    ),
    (
        "burning between the toes: a nerve look-alike, a doctor, no routine",
        {"heel-pain": "no", "forefoot-pain": "yes", "toes-burning": "yes"},
        {"urgency": None, "see_doctor": ["toes-burning"]},
    ),
    (
        "a flight and breathless: emergency",
        {"rf-calf-after-travel": "yes", "rf-clot-in-lung": "yes"},
        {"urgency": "emergency", "see_doctor": []},
    ),
    (
        "breathless without a flight: emergency all the same",
        {"rf-clot-in-lung": "yes", "heel-pain": "yes"},
        {"urgency": "emergency", "see_doctor": []},
    ),
    (
        "not sure whether calf pain fades standing still: a doctor today",
        {"heel-pain": "yes", "rf-eases-standing-still": "unsure"},
        {"urgency": "today", "see_doctor": []},
    ),
]


@pytest.mark.parametrize(
    ("symptoms", "expected"), [r[1:] for r in ROUTED], ids=[r[0] for r in ROUTED]
)
def test_the_issues_profiles_are_routed_to_a_doctor_not_a_routine(symptoms, expected) -> None:
    asked = walk(RULES, symptoms)
    for question in symptoms:
        assert question in asked, f"{question} was never asked"
    outcome = evaluate(asked)
    assert outcome.urgency == expected["urgency"]
    assert [note.id for note in outcome.see_doctor] == expected["see_doctor"]
    assert not any(match.routines for match in outcome.conditions)


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


@pytest.mark.parametrize("red_flag", RED_FLAGS)
def test_not_sure_on_any_red_flag_means_a_doctor_today(red_flag) -> None:
    outcome = evaluate({red_flag: "unsure"})

    assert [(hit.id, hit.urgency, hit.answer) for hit in outcome.red_flags] == [
        (red_flag, "today", "unsure")
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


def test_progress_counts_the_questions_still_to_come_on_the_path() -> None:
    number, about = progress(rules=RULES, answers={})
    assert number == 1 and about == len(EVERY_PATH) + 1  # and then "where does it hurt"
    heel = dict.fromkeys(EVERY_PATH, "no") | {"heel-pain": "yes"}
    assert progress(rules=RULES, answers=heel) == (len(heel) + 1, len(walk(RULES, heel)))
    done = walk(RULES, {"heel-pain": "yes"})
    assert progress(rules=RULES, answers=done) == (len(done) + 1, len(done) + 1)


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
    ordinary = [a for a in asked if a in ORDINARY]
    assert len(ordinary) <= RULES.max_questions


@given(answers=answer_sets)
def test_a_see_a_doctor_answer_never_leads_to_a_routine(answers) -> None:
    outcome = evaluate({**answers, "toes-burning": "yes"})
    assert outcome.see_doctor
    assert not any(match.routines for match in outcome.conditions)
