"""What a morning check-in means: red-flag triage first, then pain-monitoring advice.

Everything here is pure (no database): the rules are two tables, read top to bottom,
first match wins, so a clinician can review them line by line and the tests can walk
them as tables too.

Sources (the clinical reference, CLINICAL.md §3–4): Silbernagel 2007 — pain during and
after activity may reach 5/10, should settle by the next morning, and must not rise week
to week; Caratun
2018 — for plantar heel pain, still worse the next morning means reduce the load; ~2
points on a 0–10 scale is the smallest change that matters. Bone is different: after a
stress fracture there should be no pain at the injury site at all. These thresholds
were tested in supervised care, so the advice always carries the clinic's "check with
your doctor". Red flags are never weighed against anything: they always come first.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

MEANINGFUL_CHANGE = 2  # points on a 0-10 scale (Salaffi 2004; Farrar 2001)
PAIN_LIMIT = 5  # pain during or after activity may reach 5/10 (Silbernagel 2007)
WEEKLY_PAIN_RISE = 1.0  # a rise of the 7-day average first-step pain that counts
WEEKLY_STIFFNESS_RISE = 5.0  # minutes; stiffness is a diary measure, no validated change
BONE_CONDITIONS = frozenset({"stress-fracture"})
DOCTOR_NOTE = (
    "These limits come from supervised rehab studies. Check them with your doctor or "
    "physio, and follow their plan where it differs."
)


# ---- red flags ------------------------------------------------------------------------
class Urgency(StrEnum):
    EMERGENCY = "emergency"
    TODAY = "today"


URGENCY_TITLE = {
    Urgency.EMERGENCY: "Get emergency care now",
    Urgency.TODAY: "See a doctor today",
}


@dataclass(frozen=True)
class RedFlag:
    field: str  # the CheckIn field and the form/API name
    question: str
    urgency: Urgency
    reason: str


RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "leg_pain_not_easing",
        "Leg pain that did not ease after I stopped",
        Urgency.EMERGENCY,
        "Leg pain that keeps going or gets worse after you stop can be acute compartment "
        "syndrome. It can damage the leg for good within hours.",
    ),
    RedFlag(
        "fever_hot_foot",
        "Fever with a hot, red foot",
        Urgency.EMERGENCY,
        "A hot, red, swollen foot with a fever can be an infection that needs treatment now.",
    ),
    RedFlag(
        "calf_swelling",
        "Calf swelling, warmth or redness (especially after travel over 4 hours)",
        Urgency.TODAY,
        "A swollen, warm or red calf can be a blood clot (DVT), more so after a long "
        "journey. Get seen today, and call emergency services at once if you are short "
        "of breath, have chest pain, cough blood or feel faint.",
    ),
    RedFlag(
        "numbness",
        "Numbness or tingling",
        Urgency.TODAY,
        "Numbness or tingling can mean a nerve is pressed or irritated; a doctor should check it.",
    ),
    RedFlag(
        "rest_pain",
        "Pain at rest or at night",
        Urgency.TODAY,
        "Pain when the foot is resting can be a bone stress injury or a nerve problem, not "
        "an overloaded tendon.",
    ),
    RedFlag(
        "cannot_walk",
        "I can't take 4 steps",
        Urgency.TODAY,
        "Not being able to take 4 steps is the sign doctors use to X-ray a foot for a fracture.",
    ),
)
RED_FLAG_FIELDS = tuple(flag.field for flag in RED_FLAGS)


@dataclass(frozen=True)
class Triage:
    urgency: Urgency
    reasons: tuple[str, ...]

    @property
    def title(self) -> str:
        return URGENCY_TITLE[self.urgency]


def triage(flags: Iterable[str]) -> Triage | None:
    """The most urgent answer to the ticked red flags, with every reason, most urgent first."""
    ticked = set(flags)
    unknown = ticked - set(RED_FLAG_FIELDS)
    if unknown:
        raise ValueError(f"Unknown red flags: {sorted(unknown)}")
    hits = [flag for flag in RED_FLAGS if flag.field in ticked]  # RED_FLAGS is in urgency order
    if not hits:
        return None
    urgency = Urgency.EMERGENCY if hits[0].urgency is Urgency.EMERGENCY else Urgency.TODAY
    return Triage(urgency=urgency, reasons=tuple(flag.reason for flag in hits))


def triage_table() -> dict[str, object]:
    """The red-flag table as plain data: the page uses it when it cannot reach the server,
    so a runner with no signal still reads the same words, in the same order."""
    return {
        "titles": {urgency.value: title for urgency, title in URGENCY_TITLE.items()},
        "flags": [
            {"field": flag.field, "urgency": flag.urgency.value, "reason": flag.reason}
            for flag in RED_FLAGS
        ],
    }


# ---- pain-monitoring advice ----------------------------------------------------------
class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    BACK_OFF = "back off"
    STOP = "stop"


@dataclass(frozen=True, kw_only=True)
class Morning:
    """Today's answers."""

    first_step_pain: int
    activity: str = ""  # what the runner did yesterday: "", "rest", "run", "cross"
    pain_during: int | None = None
    pain_after: int | None = None
    stiffness_minutes: int | None = None
    flags: frozenset[str] = field(default_factory=frozenset)

    @property
    def active(self) -> bool:
        return self.activity in {"run", "cross"}

    @property
    def activity_name(self) -> str:
        return "run" if self.activity == "run" else "training"


@dataclass(frozen=True, kw_only=True)
class Trend:
    """What the runner's earlier check-ins say (journal.selectors.trend_for builds it)."""

    previous_pain: int | None = None  # the last check-in before today, within a few days
    this_week_pain: float | None = None  # 7-day averages, only with enough mornings
    last_week_pain: float | None = None
    this_week_stiffness: float | None = None
    last_week_stiffness: float | None = None

    @property
    def weekly_rise(self) -> bool:
        pain_up = (
            self.this_week_pain is not None
            and self.last_week_pain is not None
            and self.this_week_pain - self.last_week_pain >= WEEKLY_PAIN_RISE
        )
        stiffness_up = (
            self.this_week_stiffness is not None
            and self.last_week_stiffness is not None
            and self.this_week_stiffness - self.last_week_stiffness >= WEEKLY_STIFFNESS_RISE
        )
        return pain_up or stiffness_up


@dataclass(frozen=True)
class Advice:
    level: Level
    action: Action
    rule: str  # which rule fired, shown to the runner and kept for the clinic
    says: str

    @property
    def rule_title(self) -> str:
        return RULE_TITLES[self.rule]


@dataclass(frozen=True)
class Rule:
    name: str
    level: Level
    action: Action
    applies: Callable[[Morning, Trend], bool]
    says: Callable[[Morning, Trend], str]


def _rise(m: Morning, t: Trend) -> int:
    return m.first_step_pain - (t.previous_pain if t.previous_pain is not None else 99)


SOFT_TISSUE_RULES: tuple[Rule, ...] = (
    Rule(
        "pain-during-over-5",
        Level.RED,
        Action.BACK_OFF,
        lambda m, t: m.active and (m.pain_during or 0) > PAIN_LIMIT,
        lambda m, t: (
            f"Pain during yesterday's {m.activity_name} reached {m.pain_during}/10. "
            f"The limit is {PAIN_LIMIT}/10: make the next one shorter or easier, then build "
            "up again from there."
        ),
    ),
    Rule(
        "pain-after-over-5",
        Level.RED,
        Action.BACK_OFF,
        lambda m, t: m.active and (m.pain_after or 0) > PAIN_LIMIT,
        lambda m, t: (
            f"Pain after yesterday's {m.activity_name} reached {m.pain_after}/10. "
            f"The limit is {PAIN_LIMIT}/10: make the next one shorter or easier."
        ),
    ),
    Rule(
        "worse-next-morning",
        Level.RED,
        Action.BACK_OFF,
        lambda m, t: m.active and _rise(m, t) >= MEANINGFUL_CHANGE,
        lambda m, t: (
            f"Your first steps hurt {m.first_step_pain}/10, up from "
            f"{t.previous_pain}/10: yesterday's {m.activity_name} had not settled by this "
            "morning. Cut the next session back and build up more slowly."
        ),
    ),
    Rule(
        "morning-rising",
        Level.AMBER,
        Action.HOLD,
        lambda m, t: _rise(m, t) >= 1,
        lambda m, t: (
            f"Your first steps hurt a little more than last time ({t.previous_pain} → "
            f"{m.first_step_pain}/10). Keep the same load for now and see how tomorrow feels."
        ),
    ),
    Rule(
        "weekly-rise",
        Level.AMBER,
        Action.HOLD,
        lambda m, t: t.weekly_rise,
        lambda m, t: (
            "Your morning pain or stiffness is higher this week than last. It should "
            "not rise from week to week: hold your load steady until it settles."
        ),
    ),
    Rule(
        "settled-by-morning",
        Level.GREEN,
        Action.PROGRESS,
        lambda m, t: m.active and t.previous_pain is not None,
        lambda m, t: (
            f"Pain stayed at {PAIN_LIMIT}/10 or less and had settled by this morning. "
            "You can add a little next time (about a tenth more distance or time)."
        ),
    ),
    Rule(
        "first-mornings",
        Level.AMBER,
        Action.HOLD,
        lambda m, t: t.previous_pain is None,
        lambda m, t: (
            "There is no recent check-in to compare with yet. Keep your current load; "
            "tomorrow's check-in will show how your foot handles it."
        ),
    ),
    Rule(
        "steady",
        Level.GREEN,
        Action.PROGRESS,
        lambda m, t: True,
        lambda m, t: (
            "Your mornings are steady or better. Keep to your plan; you can add a "
            "little load on your next session."
        ),
    ),
)

BONE_RULES: tuple[Rule, ...] = (
    Rule(
        "bone-pain-during",
        Level.RED,
        Action.BACK_OFF,
        lambda m, t: m.active and (m.pain_during or 0) > 0,
        lambda m, t: (
            f"You felt {m.pain_during}/10 during yesterday's {m.activity_name}. After "
            "a stress fracture the rule is no pain at the injury site: go back to the last "
            "stage that was pain-free."
        ),
    ),
    Rule(
        "bone-pain-after",
        Level.RED,
        Action.BACK_OFF,
        lambda m, t: m.active and (m.pain_after or 0) > 0,
        lambda m, t: (
            f"You felt {m.pain_after}/10 after yesterday's {m.activity_name}. After a "
            "stress fracture the rule is no pain at the injury site: go back to the last "
            "stage that was pain-free."
        ),
    ),
    Rule(
        "bone-pain-next-day",
        Level.RED,
        Action.BACK_OFF,
        lambda m, t: m.active and m.first_step_pain > 0,
        lambda m, t: (
            f"Your foot still hurts this morning ({m.first_step_pain}/10) after "
            f"yesterday's {m.activity_name}. Bone pain that lasts into the next day means step "
            "back to the last pain-free stage."
        ),
    ),
    Rule(
        "bone-pain-resting",
        Level.AMBER,
        Action.HOLD,
        lambda m, t: m.first_step_pain > 0,
        lambda m, t: (
            f"Your foot hurts ({m.first_step_pain}/10). After a stress fracture, "
            "don't move to the next stage until it is pain-free."
        ),
    ),
    Rule(
        "weekly-rise",
        Level.AMBER,
        Action.HOLD,
        lambda m, t: t.weekly_rise,
        lambda m, t: (
            "Your morning pain or stiffness is higher this week than last. Hold your "
            "current stage until it settles."
        ),
    ),
    Rule(
        "bone-pain-free",
        Level.GREEN,
        Action.PROGRESS,
        lambda m, t: True,
        lambda m, t: (
            "No pain at the injury site. You can take the next step of your "
            "return-to-running plan: more often first, then longer, then faster."
        ),
    ),
)

RED_FLAG_ADVICE = Advice(
    Level.RED,
    Action.STOP,
    "red-flag",
    "Don't run or train on this foot until a doctor has seen you.",
)


# How the result page names the rule that fired.
RULE_TITLES = {
    "red-flag": "a warning sign needs a doctor first",
    "pain-during-over-5": "pain during activity above 5/10",
    "pain-after-over-5": "pain after activity above 5/10",
    "worse-next-morning": "worse the next morning",
    "morning-rising": "first-step pain creeping up",
    "weekly-rise": "pain or stiffness rising week to week",
    "settled-by-morning": "pain within limits and settled by the morning",
    "first-mornings": "not enough mornings to compare yet",
    "steady": "mornings steady or better",
    "bone-pain-during": "bone: pain during activity",
    "bone-pain-after": "bone: pain after activity",
    "bone-pain-next-day": "bone: pain into the next day",
    "bone-pain-resting": "bone: not pain-free yet",
    "bone-pain-free": "bone: no pain at the injury site",
}


def rules_for(condition: str) -> tuple[Rule, ...]:
    return BONE_RULES if condition in BONE_CONDITIONS else SOFT_TISSUE_RULES


def advise(*, morning: Morning, trend: Trend, condition: str = "") -> Advice:
    if morning.flags:
        return RED_FLAG_ADVICE
    for rule in rules_for(condition):
        if rule.applies(morning, trend):
            return Advice(rule.level, rule.action, rule.name, rule.says(morning, trend))
    raise AssertionError("the last rule of each table always applies")


@dataclass(frozen=True)
class Assessment:
    """What the result page shows, in order: the red-flag triage (if any), then advice."""

    triage: Triage | None
    advice: Advice

    @property
    def first(self) -> Triage | Advice:
        return self.triage or self.advice


def assess(*, morning: Morning, trend: Trend, condition: str = "") -> Assessment:
    return Assessment(
        triage=triage(morning.flags),
        advice=advise(morning=morning, trend=trend, condition=condition),
    )
