"""The pain-monitoring rules and red-flag triage, as tables (journal/advice.py)."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from journal.advice import (
    BONE_RULES,
    RED_FLAG_FIELDS,
    RED_FLAGS,
    RULE_TITLES,
    SOFT_TISSUE_RULES,
    Action,
    Level,
    Morning,
    Trend,
    Triage,
    Urgency,
    advise,
    assess,
    triage,
)

# (case, morning, trend, condition) → (level, action, rule)
ADVICE_TABLE = [
    # Silbernagel: pain during activity may reach 5/10 ...
    (
        "during 5 is fine",
        Morning(first_step_pain=2, activity="run", pain_during=5, pain_after=3),
        Trend(previous_pain=2),
        "",
        ("green", "progress", "settled-by-morning"),
    ),
    (
        "during 6 is too much",
        Morning(first_step_pain=2, activity="run", pain_during=6),
        Trend(previous_pain=2),
        "",
        ("red", "back off", "pain-during-over-5"),
    ),
    (
        "cross-training counts too",
        Morning(first_step_pain=2, activity="cross", pain_during=7),
        Trend(previous_pain=2),
        "",
        ("red", "back off", "pain-during-over-5"),
    ),
    # ... and after it, too
    (
        "after 6 is too much",
        Morning(first_step_pain=2, activity="run", pain_during=2, pain_after=6),
        Trend(previous_pain=2),
        "",
        ("red", "back off", "pain-after-over-5"),
    ),
    # Caratun: still worse the next morning → reduce load
    (
        "worse next morning by 2",
        Morning(first_step_pain=5, activity="run", pain_during=3),
        Trend(previous_pain=3),
        "",
        ("red", "back off", "worse-next-morning"),
    ),
    (
        "up by 1 after a run: hold",
        Morning(first_step_pain=4, activity="run", pain_during=3),
        Trend(previous_pain=3),
        "",
        ("amber", "hold", "morning-rising"),
    ),
    (
        "up by 2 after rest: hold, not back off",
        Morning(first_step_pain=5, activity="rest"),
        Trend(previous_pain=3),
        "",
        ("amber", "hold", "morning-rising"),
    ),
    # Silbernagel rule 3: must not rise from week to week
    (
        "weekly pain rise",
        Morning(first_step_pain=3),
        Trend(previous_pain=3, this_week_pain=4.0, last_week_pain=2.5),
        "",
        ("amber", "hold", "weekly-rise"),
    ),
    (
        "weekly stiffness rise",
        Morning(first_step_pain=3),
        Trend(previous_pain=3, this_week_stiffness=20.0, last_week_stiffness=10.0),
        "",
        ("amber", "hold", "weekly-rise"),
    ),
    (
        "weekly fall is fine",
        Morning(first_step_pain=3),
        Trend(previous_pain=3, this_week_pain=3.0, last_week_pain=5.0),
        "",
        ("green", "progress", "steady"),
    ),
    (
        "first check-in: hold",
        Morning(first_step_pain=3),
        Trend(),
        "",
        ("amber", "hold", "first-mornings"),
    ),
    (
        "first check-in, run within limits: still no baseline",
        Morning(first_step_pain=3, activity="run", pain_during=2),
        Trend(),
        "",
        ("amber", "hold", "first-mornings"),
    ),
    (
        "better than yesterday",
        Morning(first_step_pain=2),
        Trend(previous_pain=4),
        "",
        ("green", "progress", "steady"),
    ),
    # Bone: no pain at the injury site
    (
        "bone: any pain during",
        Morning(first_step_pain=0, activity="run", pain_during=1),
        Trend(previous_pain=0),
        "stress-fracture",
        ("red", "back off", "bone-pain-during"),
    ),
    (
        "bone: any pain after",
        Morning(first_step_pain=0, activity="run", pain_after=1),
        Trend(previous_pain=0),
        "stress-fracture",
        ("red", "back off", "bone-pain-after"),
    ),
    (
        "bone: pain into the next day",
        Morning(first_step_pain=1, activity="run", pain_during=0),
        Trend(previous_pain=0),
        "stress-fracture",
        ("red", "back off", "bone-pain-next-day"),
    ),
    (
        "bone: sore on a rest day",
        Morning(first_step_pain=2, activity="rest"),
        Trend(previous_pain=2),
        "stress-fracture",
        ("amber", "hold", "bone-pain-resting"),
    ),
    (
        "bone: pain-free run",
        Morning(first_step_pain=0, activity="run", pain_during=0, pain_after=0),
        Trend(previous_pain=0),
        "stress-fracture",
        ("green", "progress", "bone-pain-free"),
    ),
    (
        "bone: 3/10 during would be fine for soft tissue",
        Morning(first_step_pain=0, activity="run", pain_during=3),
        Trend(previous_pain=0),
        "plantar-fasciitis",
        ("green", "progress", "settled-by-morning"),
    ),
    # Red flags beat every rule
    (
        "red flag beats a green morning",
        Morning(first_step_pain=0, flags=frozenset({"numbness"})),
        Trend(previous_pain=0),
        "",
        ("red", "stop", "red-flag"),
    ),
]


@pytest.mark.parametrize(
    ("morning", "trend", "condition", "expected"),
    [case[1:] for case in ADVICE_TABLE],
    ids=[case[0] for case in ADVICE_TABLE],
)
def test_advice_table(morning: Morning, trend: Trend, condition: str, expected: tuple) -> None:
    advice = advise(morning=morning, trend=trend, condition=condition)
    assert (advice.level, advice.action, advice.rule) == expected
    assert advice.says and advice.rule_title


TRIAGE_TABLE = [
    ({"numbness"}, "today", 1),
    ({"rest_pain"}, "today", 1),
    ({"cannot_walk"}, "today", 1),
    ({"calf_swelling"}, "today", 1),
    ({"leg_pain_not_easing"}, "emergency", 1),
    ({"fever_hot_foot"}, "emergency", 1),
    ({"numbness", "leg_pain_not_easing"}, "emergency", 2),
    ({"numbness", "rest_pain", "cannot_walk"}, "today", 3),
]


@pytest.mark.parametrize(("flags", "urgency", "reasons"), TRIAGE_TABLE)
def test_triage_table(flags: set[str], urgency: str, reasons: int) -> None:
    result = triage(flags)
    assert result is not None
    assert result.urgency == urgency
    assert len(result.reasons) == reasons
    assert (
        result.title
        == {"emergency": "Get emergency care now", "today": "See a doctor today"}[urgency]
    )


def test_emergency_reasons_come_first() -> None:
    result = triage({"numbness", "fever_hot_foot"})
    assert result is not None
    assert result.reasons[0].startswith("A hot, red, swollen foot")


def test_no_flags_no_triage() -> None:
    assert triage(set()) is None


def test_unknown_flag_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="headache"):
        triage({"headache"})


def test_every_rule_has_a_title_and_every_table_ends_with_a_catch_all() -> None:
    for rules in (SOFT_TISSUE_RULES, BONE_RULES):
        assert all(rule.name in RULE_TITLES for rule in rules)
        assert rules[-1].applies(Morning(first_step_pain=10), Trend()) is True


def test_flags_are_in_urgency_order() -> None:
    urgencies = [flag.urgency for flag in RED_FLAGS]
    assert urgencies == sorted(urgencies, key=lambda u: u is not Urgency.EMERGENCY)


pain = st.integers(min_value=0, max_value=10)
mornings = st.builds(
    Morning,
    first_step_pain=pain,
    activity=st.sampled_from(["", "rest", "run", "cross"]),
    pain_during=st.none() | pain,
    pain_after=st.none() | pain,
    stiffness_minutes=st.none() | st.integers(min_value=0, max_value=120),
    flags=st.frozensets(st.sampled_from(RED_FLAG_FIELDS), min_size=1),
)
trends = st.builds(
    Trend,
    previous_pain=st.none() | pain,
    this_week_pain=st.none() | st.floats(min_value=0, max_value=10),
    last_week_pain=st.none() | st.floats(min_value=0, max_value=10),
)
conditions = st.sampled_from(["", "plantar-fasciitis", "stress-fracture", "metatarsalgia"])


@given(morning=mornings, trend=trends, condition=conditions)
def test_any_red_flag_comes_first_and_stops_training(
    morning: Morning, trend: Trend, condition: str
) -> None:
    result = assess(morning=morning, trend=trend, condition=condition)
    assert isinstance(result.first, Triage)
    assert result.triage is not None and len(result.triage.reasons) == len(morning.flags)
    emergency = {f.field for f in RED_FLAGS if f.urgency is Urgency.EMERGENCY}
    assert (result.triage.urgency is Urgency.EMERGENCY) == bool(morning.flags & emergency)
    assert result.advice.level is Level.RED and result.advice.action is Action.STOP


@given(
    morning=st.builds(Morning, first_step_pain=pain, activity=st.sampled_from(["", "run"])),
    trend=trends,
    condition=conditions,
)
def test_without_flags_advice_comes_first(morning: Morning, trend: Trend, condition: str) -> None:
    result = assess(morning=morning, trend=trend, condition=condition)
    assert result.triage is None
    assert result.first is result.advice
    assert result.advice.action is not Action.STOP
