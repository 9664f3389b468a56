"""The safety invariants of CLINICAL.md §6 as properties over random sequences of mornings
and conditions, run through exactly what the server uses (journal.advice.trend_from and
advise). The checks below recompute what they need from the raw diary (median, slope,
falls) instead of asking the rules, so a rule that drifts is caught by a second reading.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, timedelta
from itertools import pairwise
from statistics import median

from hypothesis import given, settings
from hypothesis import strategies as st

from journal.advice import (
    BONE_CONDITIONS,
    PAIN_LIMIT,
    RED_FLAG_FIELDS,
    RED_FLAGS,
    SOFT_TISSUE_CONDITIONS,
    Action,
    Advice,
    Morning,
    Pointer,
    RunReturn,
    Triage,
    Urgency,
    advise,
    assess,
    trend_from,
)

START = date(2026, 11, 1)
CONDITIONS = [
    "",
    "plantar-fasciitis",
    "fat-pad-syndrome",
    "metatarsalgia",
    "stress-fracture",
    "posterior-compartment-syndrome",
    "not-sure",
]
DOCTOR_FIRST = {"posterior-compartment-syndrome"}

pain = st.integers(min_value=0, max_value=10)
maybe_pain = st.none() | pain


@st.composite
def mornings(draw: st.DrawFn, first_step: st.SearchStrategy[int] = pain) -> Morning:
    activity = draw(st.sampled_from(["", "rest", "run", "cross"]))
    active = activity in {"run", "cross"}
    flags = draw(st.frozensets(st.sampled_from(RED_FLAG_FIELDS), max_size=3) | st.just(frozenset()))
    return Morning(
        first_step_pain=draw(first_step),
        activity=activity,
        pain_during=draw(maybe_pain) if active else None,
        pain_after=draw(maybe_pain) if active else None,
        stiffness_minutes=draw(st.none() | st.integers(min_value=0, max_value=120)),
        flags=flags,
        flags_answered=bool(flags) or draw(st.booleans()),
        walking_pain_free=draw(st.none() | st.booleans()),
    )


run_returns = st.builds(
    RunReturn,
    cleared=st.booleans(),
    stage=st.sampled_from(["", "Stage 1: walk 4, jog 1"]),
    next_stage=st.sampled_from(["", "Stage 2: walk 3, jog 2"]),
    previous_stage=st.sampled_from(["", "Readiness checks"]),
)


@dataclass(frozen=True)
class Day:
    when: date
    morning: Morning
    advice: Advice


def walk(
    diary: list[tuple[int, Morning]],
    condition: str,
    run_return: RunReturn | None,
    *,
    last_only: bool = False,
) -> list[Day]:
    """Each morning's advice as the server gives it: the trend from the mornings before
    (and the morning itself, as it is saved before the advice is read)."""
    rows = [
        (START + timedelta(days=offset), m.first_step_pain, m.stiffness_minutes)
        for offset, m in diary
    ]
    days = []
    for offset, morning in diary[-1:] if last_only else diary:
        when = START + timedelta(days=offset)
        window = [row for row in rows if when - timedelta(days=13) <= row[0] <= when]
        advice = advise(
            morning=morning,
            trend=trend_from(day=when, diary=window),
            condition=condition,
            doctor_first=condition in DOCTOR_FIRST,
            condition_name=condition,
            run_return=run_return,
        )
        days.append(Day(when, morning, advice))
    return days


@st.composite
def diaries(
    draw: st.DrawFn, pains: st.SearchStrategy[list[int]] | None = None
) -> list[tuple[int, Morning]]:
    """Up to 21 check-ins over up to 28 days (gaps allowed), one per day."""
    if pains is None:
        pains = st.lists(pain, min_size=1, max_size=21)
    values = draw(pains)
    gaps = draw(
        st.lists(st.integers(min_value=1, max_value=3), min_size=len(values), max_size=len(values))
    )
    offsets, day = [], 0
    for gap in gaps:
        offsets.append(day)
        day += gap if draw(st.integers(0, 4)) == 0 else 1
    return [
        (offset, draw(mornings(st.just(value))))
        for offset, value in zip(offsets, values, strict=True)
    ]


def _recent(days: list[Day], index: int, within: int) -> list[int]:
    """First-step pain of the mornings in the `within` days before day `index`."""
    today = days[index].when
    return [d.morning.first_step_pain for d in days[:index] if 0 < (today - d.when).days <= within]


def _slope(points: list[tuple[int, int]]) -> float:
    n = len(points)
    if n < 2:
        return 0.0
    mean_x = sum(x for x, _ in points) / n
    mean_y = sum(y for _, y in points) / n
    return sum((x - mean_x) * (y - mean_y) for x, y in points)


def _progress_is_earned(
    days: list[Day], index: int, condition: str, plan: RunReturn | None
) -> None:
    """Everything §6 requires of a "progress" day, read again from the raw diary."""
    day = days[index]
    m = day.morning
    assert not m.flags and m.flags_answered, "no red flag, and the warning signs answered"
    assert condition in SOFT_TISSUE_CONDITIONS | BONE_CONDITIONS and condition not in DOCTOR_FIRST
    assert m.activity in {"run", "cross"}, "load advice needs a run or session to judge"
    assert m.pain_during is not None and m.pain_after is not None, "unknown is not zero"
    assert m.first_step_pain <= 5
    week = _recent(days, index, 7)
    if condition in BONE_CONDITIONS:
        assert plan is not None and plan.cleared, "next stage only once cleared"
        assert m.walking_pain_free is True, "next stage only with pain-free walking"
        assert m.first_step_pain == m.pain_during == m.pain_after == 0, "no pain at the site"
        assert all(p == 0 for p in week), "no bone pain this past week"
        return
    assert m.pain_during <= PAIN_LIMIT and m.pain_after <= PAIN_LIMIT
    assert len(week) >= 3, "a baseline needs 3 to 7 mornings"
    assert m.first_step_pain <= median(week), "not above the recent baseline"
    window = [
        (-(day.when - d.when).days, d.morning.first_step_pain)
        for d in days[: index + 1]
        if (day.when - d.when).days < 7
    ]
    assert _slope(window) <= 0, "the last 7 mornings do not trend upward"
    pains = [p for _, p in window]
    assert any(b < a for a, b in pairwise(pains)), "the mornings came down"


@settings(max_examples=200, deadline=None)
@given(diary=diaries(), condition=st.sampled_from(CONDITIONS), plan=st.none() | run_returns)
def test_progress_only_when_every_condition_of_the_rules_holds(
    diary: list[tuple[int, Morning]], condition: str, plan: RunReturn | None
) -> None:
    days = walk(diary, condition, plan)
    for index, day in enumerate(days):
        if day.advice.action is Action.PROGRESS:
            _progress_is_earned(days, index, condition, plan)


@settings(max_examples=150, deadline=None)
@given(diary=diaries(), condition=st.sampled_from(CONDITIONS), plan=st.none() | run_returns)
def test_any_red_flag_makes_the_day_a_triage(
    diary: list[tuple[int, Morning]], condition: str, plan: RunReturn | None
) -> None:
    emergency = {f.field for f in RED_FLAGS if f.urgency is Urgency.EMERGENCY}
    for day in walk(diary, condition, plan):
        if not day.morning.flags:
            assert day.advice.action is not Action.STOP
            continue
        assert day.advice.action is Action.STOP
        result = assess(
            morning=day.morning, trend=trend_from(day=day.when, diary=[]), condition=condition
        )
        assert isinstance(result.first, Triage)
        assert result.triage is not None
        assert len(result.triage.reasons) == len(day.morning.flags)
        assert (result.triage.urgency is Urgency.EMERGENCY) == bool(day.morning.flags & emergency)
        assert result.triage.do


never_falling = st.lists(st.integers(min_value=0, max_value=3), min_size=1, max_size=21).flatmap(
    lambda steps: st.integers(min_value=0, max_value=10).map(
        lambda start: [min(10, start + sum(steps[: n + 1])) for n in range(len(steps))]
    )
)


@settings(max_examples=200, deadline=None)
@given(
    diary=diaries(never_falling),
    condition=st.sampled_from([c for c in CONDITIONS if c not in BONE_CONDITIONS]),
    plan=st.none() | run_returns,
)
def test_mornings_that_never_fall_never_earn_progress(
    diary: list[tuple[int, Morning]], condition: str, plan: RunReturn | None
) -> None:
    """Including plateaus (2, 3, 3, 4, 4 …) and a flat week: pain that does not come down
    is not yet settling. (Bone injuries are the one difference: their rule is no pain at
    all, so a run of pain-free mornings is the goal; any morning above 0 steps back.)"""
    for day in walk(diary, condition, plan):
        assert day.advice.action is not Action.PROGRESS, day


@settings(max_examples=150, deadline=None)
@given(
    diary=diaries(never_falling),
    condition=st.sampled_from(sorted(BONE_CONDITIONS)),
    plan=run_returns,
)
def test_bone_mornings_that_never_fall_step_back_from_the_first_painful_one(
    diary: list[tuple[int, Morning]], condition: str, plan: RunReturn
) -> None:
    days = walk(diary, condition, plan)
    for day in days:
        if day.morning.first_step_pain > 0 and not day.morning.flags:
            assert day.advice.action is Action.BACK_OFF


@settings(max_examples=150, deadline=None)
@given(
    diary=diaries(),
    condition=st.sampled_from(sorted(BONE_CONDITIONS)),
    plan=st.none() | run_returns,
)
def test_bone_pain_at_the_site_or_into_the_next_day_steps_back(
    diary: list[tuple[int, Morning]], condition: str, plan: RunReturn | None
) -> None:
    for day in walk(diary, condition, plan):
        m = day.morning
        if m.flags:
            continue
        hurt_in_activity = m.activity in {"run", "cross"} and (
            (m.pain_during or 0) > 0 or (m.pain_after or 0) > 0
        )
        if hurt_in_activity or m.first_step_pain > 0 or m.walking_pain_free is False:
            assert day.advice.action is Action.BACK_OFF
            assert day.advice.points_to is Pointer.PLAN
        if day.advice.action is Action.PROGRESS:
            assert plan is not None and plan.cleared and m.walking_pain_free is True
            assert plan.next_stage in day.advice.says


@settings(max_examples=150, deadline=None)
@given(
    diary=diaries(),
    condition=st.sampled_from(["", "not-sure", "posterior-compartment-syndrome"]),
    plan=st.none() | run_returns,
)
def test_doctor_first_or_unknown_never_progress_and_say_where_to_go(
    diary: list[tuple[int, Morning]], condition: str, plan: RunReturn | None
) -> None:
    for day in walk(diary, condition, plan):
        advice = day.advice
        assert advice.action is not Action.PROGRESS
        if day.morning.flags:
            continue
        if condition in DOCTOR_FIRST:
            assert advice.action is Action.SEE_DOCTOR and advice.points_to is Pointer.DOCTOR
            assert "doctor" in advice.says
        elif advice.rule == "condition-unknown":
            assert advice.points_to is Pointer.SELF_CHECK and "self-check" in advice.says


WORSE = ("first_step_pain", "pain_during", "pain_after", "flag", "walking")


@settings(max_examples=200, deadline=None)
@given(
    diary=diaries(),
    condition=st.sampled_from(CONDITIONS),
    plan=st.none() | run_returns,
    what=st.sampled_from(WORSE),
    by=st.integers(min_value=1, max_value=10),
    flag=st.sampled_from(RED_FLAG_FIELDS),
)
def test_a_worse_answer_never_turns_the_day_into_progress(
    diary: list[tuple[int, Morning]],
    condition: str,
    plan: RunReturn | None,
    what: str,
    by: int,
    flag: str,
) -> None:
    """Worsening today's answer (more pain, a red flag, walking hurt) never earns more load."""
    offset, morning = diary[-1]
    if what == "flag":
        worse = replace(morning, flags=morning.flags | {flag}, flags_answered=True)
    elif what == "walking":
        worse = replace(morning, walking_pain_free=False)
    else:
        value = getattr(morning, what)
        if value is None:
            return
        worse = replace(morning, **{what: min(10, value + by)})
    before = walk(diary, condition, plan, last_only=True)[-1].advice
    after = walk([*diary[:-1], (offset, worse)], condition, plan, last_only=True)[-1].advice
    if before.action is not Action.PROGRESS:
        assert after.action is not Action.PROGRESS


def test_an_improving_foot_can_still_progress() -> None:
    """The rules are not vacuous: a settling foot after a run within limits may add load."""
    pains = [4, 4, 3, 3, 2, 2]
    diary = [
        (
            n,
            Morning(
                first_step_pain=p, activity="run", pain_during=3, pain_after=3, flags_answered=True
            ),
        )
        for n, p in enumerate(pains)
    ]
    days = walk(diary, "plantar-fasciitis", None)
    assert days[-1].advice.action is Action.PROGRESS
    assert "tenth" not in days[-1].advice.says  # no unsourced "about a tenth more"


def test_a_cleared_bone_runner_can_move_to_the_next_stage() -> None:
    plan = RunReturn(
        cleared=True, stage="Stage 1: walk 4, jog 1", next_stage="Stage 2: walk 3, jog 2"
    )
    quiet = Morning(
        first_step_pain=0,
        activity="run",
        pain_during=0,
        pain_after=0,
        flags_answered=True,
        walking_pain_free=True,
    )
    days = walk([(0, quiet), (1, quiet)], "stress-fracture", plan)
    assert days[-1].advice.action is Action.PROGRESS
    assert "Stage 2: walk 3, jog 2" in days[-1].advice.says
    # ... and not without clearance (running before it is a step back), nor without
    # pain-free walking.
    not_cleared = walk([(0, quiet), (1, quiet)], "stress-fracture", replace(plan, cleared=False))
    assert not_cleared[-1].advice.action is Action.BACK_OFF
    unknown_walk = replace(quiet, walking_pain_free=None)
    assert (
        walk([(0, quiet), (1, unknown_walk)], "stress-fracture", plan)[-1].advice.action
        is Action.HOLD
    )
