"""What a morning check-in means: red-flag triage first, then pain-monitoring advice.

Everything here is pure (no database): the rules are tables, read top to bottom, first
match wins, so a clinician can review them line by line and the tests can walk them as
tables and as properties (tests/journal/test_advice_properties.py).

The safety invariants (CLINICAL.md §6) the tables are built to keep, whatever was answered:
1. Any red flag: the day's advice is the triage (stop).
2. "Progress" only when there is no red flag and the warning signs were answered; the
   main problem is known and not doctor-first; first-step pain today is at most 5/10 and
   not above the recent baseline (the median of the last 3–7 mornings); the last 7
   mornings do not trend upward; pain during and after yesterday's activity was given
   (unknown is not zero) and was at most 5/10.
3. Mornings whose pain never falls never earn "progress" (for soft tissue: a week of the
   same pain is not yet settling; for bone, where the rule is no pain at all, a run of
   pain-free mornings is the goal itself).
4. Bone injuries (stress fracture; metatarsalgia, which the clinic's article says to treat
   as one): any pain at the site during or after activity, or into the next morning,
   steps back; "next stage" only for a runner their clinician has cleared to return to
   running, who reports pain-free walking.
5. Doctor-first (posterior compartment syndrome) or an unknown main problem never
   progress: the advice says why and points to a doctor or the self-check.

Sources (CLINICAL.md §3–5): Silbernagel 2007 — pain during and after activity may reach
5/10, should settle by the next morning, and must not rise week to week; Caratun 2018 —
for plantar heel pain, still worse the next morning means reduce the load; ~2 points on a
0–10 scale is the smallest change that matters (Salaffi 2004; Farrar 2001). After a bone
stress injury there should be no pain at the injury site at all, and a return to running
builds frequency first, then duration, then intensity. These thresholds were tested in
supervised care, so the advice always carries the clinic's "check with your doctor".
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from itertools import pairwise
from statistics import median

MEANINGFUL_CHANGE = 2  # points on a 0-10 scale (Salaffi 2004; Farrar 2001)
PAIN_LIMIT = 5  # pain during or after activity may reach 5/10 (Silbernagel 2007)
MORNING_LIMIT = 5  # no added load on a morning that hurts more than this
WEEKLY_PAIN_RISE = 1.0  # a rise of the 7-day average first-step pain that counts
WEEKLY_STIFFNESS_RISE = 5.0  # minutes; stiffness is a diary measure, no validated change
BASELINE_DAYS = 7  # the recent baseline: the mornings of the week before today ...
BASELINE_MIN_MORNINGS = 3  # ... and only once there are at least this many of them
TREND_WINDOW_DAYS = 7  # "the last 7 mornings", today included, must not trend upward
PREVIOUS_WITHIN_DAYS = 3  # "yesterday's" morning, if it is this recent

# Which load rules a main problem follows. Anything else (nothing chosen, "not sure", a
# new condition nobody has classified) gets no load advice: the rules fail closed.
SOFT_TISSUE_CONDITIONS = frozenset({"plantar-fasciitis", "fat-pad-syndrome"})
BONE_CONDITIONS = frozenset({"stress-fracture", "metatarsalgia"})
# "Can I continue to run? Don't be silly." (the article, on stress fractures). Metatarsalgia
# may keep running on less load: fewer miles, softer ground.
RUNNING_NEEDS_CLEARANCE = frozenset({"stress-fracture"})

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
# What to do, under the title. The page adds the ways to act on it: the emergency
# number, the person's clinic's phone, booking.
URGENCY_DO = {
    Urgency.EMERGENCY: (
        "Call your local emergency number or go to an emergency department now. Don't "
        "drive yourself, and don't run, stretch or massage the leg first."
    ),
    Urgency.TODAY: (
        "Call your doctor or clinic this morning and tell them which sign you have. No "
        "running or exercise routine until you have been seen. If it gets worse before "
        "then, get emergency care."
    ),
}


@dataclass(frozen=True)
class RedFlag:
    field: str  # the CheckIn field and the form/API name
    question: str  # as the check-in lists it
    urgency: Urgency
    reason: str  # why it matters, on the triage
    label: str  # short, for summaries and the clinic's lists


# In urgency order (emergencies first): the triage lists reasons in this order.
RED_FLAGS: tuple[RedFlag, ...] = (
    RedFlag(
        "leg_pain_not_easing",
        "Leg pain that doesn't ease when I stop or keeps getting worse, a tense swollen "
        "calf, or pain far worse than I'd expect",
        Urgency.EMERGENCY,
        "Those are the signs of acute compartment syndrome: pressure building in the leg "
        "can damage its muscles and nerves for good within hours.",
        label="Leg pain not easing, tense calf (acute compartment signs)",
    ),
    RedFlag(
        "chest_symptoms",
        "Chest pain, breathlessness, coughing up blood or fainting",
        Urgency.EMERGENCY,
        "Chest pain, breathlessness, coughing blood or fainting can mean a blood clot has "
        "reached the lung, more so with a sore calf or after a long journey.",
        label="Chest pain, breathlessness, coughing blood or fainting",
    ),
    RedFlag(
        "saddle_numbness",
        "Numbness around my groin or bottom, a new bladder or bowel change, or symptoms "
        "in both legs",
        Urgency.EMERGENCY,
        "These can mean the nerves at the bottom of the spine are squeezed (cauda "
        "equina). Treated fast, bladder, bowel and leg function can be saved.",
        label="Saddle numbness, bladder or bowel change, or both legs",
    ),
    RedFlag(
        "fever_hot_foot",
        "Fever with a hot, red, swollen foot",
        Urgency.EMERGENCY,
        "A hot, red, swollen foot with a fever can be an infection that needs treatment now.",
        label="Fever with a hot, red foot",
    ),
    RedFlag(
        "calf_swelling",
        "Calf swelling, warmth or redness (especially after travel over 4 hours)",
        Urgency.TODAY,
        "A swollen, warm or red calf can be a blood clot (DVT), more so after a long "
        "journey. Don't massage or stretch it. Get seen today, and call emergency services "
        "at once if you are short of breath, have chest pain, cough blood or feel faint.",
        label="Calf swelling, warmth or redness",
    ),
    RedFlag(
        "numbness",
        "Numbness or tingling in my foot or leg",
        Urgency.TODAY,
        "Numbness or tingling can mean a nerve is pressed or irritated, in the back, the "
        "hip, the calf or at the ankle. A doctor should find out where.",
        label="Numbness or tingling",
    ),
    RedFlag(
        "rest_pain",
        "Pain at rest or at night",
        Urgency.TODAY,
        "Pain when the foot is resting can be a bone stress injury or a nerve problem, not "
        "an overloaded tendon.",
        label="Pain at rest or at night",
    ),
    RedFlag(
        "bone_spot",
        "One sore spot on a bone, or it hurts to walk",
        Urgency.TODAY,
        "One spot on a bone that hurts to press, or pain just from walking, can be a bone "
        "stress injury. X-rays are often normal early on: a doctor may want a scan.",
        label="A sore spot on a bone, or pain walking",
    ),
    RedFlag(
        "cannot_walk",
        "I can't take 4 steps",
        Urgency.TODAY,
        "Not being able to take 4 steps is the sign doctors use to X-ray a foot for a fracture.",
        label="Can't take 4 steps",
    ),
    RedFlag(
        "calf_eases_still",
        "Calf pain that fades when I stand still, or eases only when I sit or bend forward",
        Urgency.TODAY,
        "Calf pain that goes as soon as your heart rate falls can come from the blood "
        "vessels; pain that needs sitting or bending forward to ease points to the back "
        "(spinal stenosis). Both need a doctor, not calf exercises.",
        label="Calf pain eased by standing still or sitting",
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

    @property
    def do(self) -> str:
        return URGENCY_DO[self.urgency]


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
    """The red-flag table as plain data: a page uses it when it cannot reach the server,
    so a runner with no signal still reads the same words, in the same order."""
    return {
        "titles": {urgency.value: title for urgency, title in URGENCY_TITLE.items()},
        "do": {urgency.value: text for urgency, text in URGENCY_DO.items()},
        "flags": [
            {
                "field": flag.field,
                "question": flag.question,
                "urgency": flag.urgency.value,
                "reason": flag.reason,
            }
            for flag in RED_FLAGS
        ],
    }


# ---- the morning and what came before ------------------------------------------------
ACTIVE = frozenset({"run", "cross"})


def pain_needs_activity(activity: str) -> bool:
    """Pain during or after is asked about a run or cross-training only: a rest day has
    no "during". The one home of that rule (the service refuses it, forms drop it)."""
    return activity in ACTIVE


@dataclass(frozen=True, kw_only=True)
class Morning:
    """Today's answers."""

    first_step_pain: int
    activity: str = ""  # what the runner did yesterday: "", "rest", "run", "cross"
    pain_during: int | None = None  # None: not given (unknown, never read as 0)
    pain_after: int | None = None
    stiffness_minutes: int | None = None
    flags: frozenset[str] = field(default_factory=frozenset)
    # True once the runner answered the warning signs (ticked some, or "None of these").
    # Not answered is unknown, and unknown never earns "progress".
    flags_answered: bool = False
    walking_pain_free: bool | None = None  # "Walking yesterday": None when not answered

    @property
    def active(self) -> bool:
        return pain_needs_activity(self.activity)

    @property
    def activity_name(self) -> str:
        return "run" if self.activity == "run" else "training"

    @property
    def activity_pain_known(self) -> bool:
        return self.pain_during is not None and self.pain_after is not None


@dataclass(frozen=True, kw_only=True)
class Trend:
    """What the runner's earlier check-ins say (`trend_from` builds it from the diary)."""

    previous_pain: int | None = None  # the last check-in before today, within a few days
    # First-step pain of the mornings in the week before today, oldest first, each with
    # how many days before today it was (7 … 1).
    recent: tuple[tuple[int, int], ...] = ()
    this_week_pain: float | None = None  # 7-day averages, only with enough mornings
    last_week_pain: float | None = None
    this_week_stiffness: float | None = None
    last_week_stiffness: float | None = None
    mornings_before: int = 0  # check-ins before today at all (0: this is the first)

    @property
    def baseline(self) -> float | None:
        """The median of the last 3–7 mornings, or None when there are fewer than 3."""
        if len(self.recent) < BASELINE_MIN_MORNINGS:
            return None
        return float(median(pain for _, pain in self.recent))

    def window(self, today: int) -> list[tuple[int, int]]:
        """The last 7 mornings, today included, as (days before today, pain)."""
        return [*((ago, pain) for ago, pain in self.recent if ago < TREND_WINDOW_DAYS), (0, today)]

    def rising(self, today: int) -> bool:
        """The last 7 mornings trend upward: a least-squares slope above zero."""
        points = self.window(today)
        if len(points) < 2:
            return False
        xs = [-ago for ago, _ in points]
        ys = [pain for _, pain in points]
        mean_x, mean_y = sum(xs) / len(xs), sum(ys) / len(ys)
        spread = sum((x - mean_x) ** 2 for x in xs)
        if spread == 0:
            return False
        return sum((x - mean_x) * (y - mean_y) for x, y in zip(xs, ys, strict=True)) > 0

    def never_fell(self, today: int) -> bool:
        """No morning of the last 7 (today included) was lower than one before it."""
        pains = [pain for _, pain in self.window(today)]
        return all(later >= earlier for earlier, later in pairwise(pains))

    @property
    def pain_change(self) -> float | None:
        """This week's average first-step pain minus last week's, when both are known."""
        if self.this_week_pain is None or self.last_week_pain is None:
            return None
        return self.this_week_pain - self.last_week_pain

    @property
    def pain_rising(self) -> bool:
        change = self.pain_change
        return change is not None and change >= WEEKLY_PAIN_RISE

    @property
    def weekly_rise(self) -> bool:
        pain_up = self.pain_rising
        stiffness_up = (
            self.this_week_stiffness is not None
            and self.last_week_stiffness is not None
            and self.this_week_stiffness - self.last_week_stiffness >= WEEKLY_STIFFNESS_RISE
        )
        return pain_up or stiffness_up


MIN_MORNINGS_PER_WEEK = 3  # a 7-day average needs this many mornings in the 7 days


def trend_from(*, day: date, diary: Sequence[tuple[date, int, int | None]]) -> Trend:
    """The trend before `day` from the diary: (date, first-step pain, stiffness minutes)
    rows of the two weeks up to and including `day`, in any order. Pure, so the property
    tests run sequences of mornings through exactly what the server uses."""
    # Oldest first, each with its days before `day` (worked out once: the clinic's patient
    # list asks this for fifty patients a page).
    rows = sorted(row for row in diary if row[0] <= day)
    aged = [((day - when).days, pain, stiffness) for when, pain, stiffness in rows]
    before = [row for row in aged if row[0] > 0]
    previous = [pain for ago, pain, _ in before if ago <= PREVIOUS_WITHIN_DAYS]
    this_week = [row for row in aged if row[0] < 7]
    last_week = [row for row in aged if 7 <= row[0] < 14]
    return Trend(
        previous_pain=previous[-1] if previous else None,
        recent=tuple((ago, pain) for ago, pain, _ in before if ago <= BASELINE_DAYS),
        this_week_pain=_mean([row[1] for row in this_week]),
        last_week_pain=_mean([row[1] for row in last_week]),
        this_week_stiffness=_mean([row[2] for row in this_week if row[2] is not None]),
        last_week_stiffness=_mean([row[2] for row in last_week if row[2] is not None]),
        mornings_before=len(before),
    )


def _mean(values: Sequence[int]) -> float | None:
    return sum(values) / len(values) if len(values) >= MIN_MORNINGS_PER_WEEK else None


@dataclass(frozen=True, kw_only=True)
class RunReturn:
    """Where a runner with a bone injury stands on the return-to-running plan (built by
    journal.selectors from the runner's row and the plan in content/)."""

    cleared: bool = False  # their clinician marked them cleared to return to running
    stage: str = ""  # the stage they are on, as the plan names it
    next_stage: str = ""  # "" on the last stage
    previous_stage: str = ""  # "" on the first stage


# ---- advice -------------------------------------------------------------------------
class Level(StrEnum):
    GREEN = "green"
    AMBER = "amber"
    RED = "red"


class Action(StrEnum):
    PROGRESS = "progress"
    HOLD = "hold"
    BACK_OFF = "back off"
    STOP = "stop"
    SEE_DOCTOR = "see a doctor"


# Where the advice sends the runner next; the page turns it into a link.
class Pointer(StrEnum):
    NONE = ""
    SELF_CHECK = "self-check"  # to find out what the main problem may be
    PROFILE = "profile"  # to set the main problem
    DOCTOR = "doctor"  # to book / call
    PLAN = "plan"  # the return-to-running plan


@dataclass(frozen=True)
class Advice:
    level: Level
    action: Action
    rule: str  # which rule fired, kept for the clinic and the tests
    says: str
    points_to: Pointer = Pointer.NONE

    @property
    def rule_title(self) -> str:
        return RULE_TITLES[self.rule]

    @property
    def heading(self) -> str:
        """The advice in a few plain words, as the result page's heading."""
        if self.rule.startswith("bone-") and self.action is Action.BACK_OFF:
            return "Step back"
        if self.action is Action.HOLD and self.level is Level.GREEN:
            return "Keep to your plan"
        return ACTION_HEADINGS[self.action]


@dataclass(frozen=True, kw_only=True)
class Situation:
    """Everything one rule may look at."""

    morning: Morning
    trend: Trend
    condition: str
    run_return: RunReturn


@dataclass(frozen=True)
class Rule:
    name: str
    level: Level
    action: Action
    applies: Callable[[Situation], bool]
    says: Callable[[Situation], str]
    points_to: Pointer = Pointer.NONE


def _rise(s: Situation) -> int:
    previous = s.trend.previous_pain
    return s.morning.first_step_pain - previous if previous is not None else 0


def _today(s: Situation) -> int:
    return s.morning.first_step_pain


def _above_baseline(s: Situation) -> bool:
    baseline = s.trend.baseline
    return baseline is not None and _today(s) > baseline


def _more_needed(s: Situation) -> int:
    return max(1, BASELINE_MIN_MORNINGS - len(s.trend.recent))


def _first_mornings_says(s: Situation) -> str:
    if s.trend.mornings_before == 0:
        return (
            "This first check-in is your starting point. Keep your load as it is for now: "
            f"after {BASELINE_MIN_MORNINGS} mornings Footing compares each day with your "
            "usual and tells you whether to add load, hold or ease off."
        )
    more = _more_needed(s)
    return (
        f"Footing compares each morning with your usual once it has "
        f"{BASELINE_MIN_MORNINGS} from the past week; {more} more "
        f"{'morning' if more == 1 else 'mornings'} to go. Keep your load as it is until then."
    )


_BACK_OFF_SOFT = "Make the next one shorter or easier, then build up again from there."

SOFT_TISSUE_RULES: tuple[Rule, ...] = (
    Rule(
        "pain-during-over-5",
        Level.RED,
        Action.BACK_OFF,
        lambda s: s.morning.active and (s.morning.pain_during or 0) > PAIN_LIMIT,
        lambda s: (
            f"Pain during yesterday's {s.morning.activity_name} reached "
            f"{s.morning.pain_during}/10, above the {PAIN_LIMIT}/10 limit. {_BACK_OFF_SOFT}"
        ),
    ),
    Rule(
        "pain-after-over-5",
        Level.RED,
        Action.BACK_OFF,
        lambda s: s.morning.active and (s.morning.pain_after or 0) > PAIN_LIMIT,
        lambda s: (
            f"Pain after yesterday's {s.morning.activity_name} reached "
            f"{s.morning.pain_after}/10, above the {PAIN_LIMIT}/10 limit. {_BACK_OFF_SOFT}"
        ),
    ),
    Rule(
        "worse-next-morning",
        Level.RED,
        Action.BACK_OFF,
        lambda s: s.morning.active and _rise(s) >= MEANINGFUL_CHANGE,
        lambda s: (
            f"Your first steps hurt {_today(s)}/10, up from {s.trend.previous_pain}/10: "
            f"yesterday's {s.morning.activity_name} had not settled by this morning. "
            "Cut the next session back and build up more slowly."
        ),
    ),
    Rule(
        "morning-high-after-activity",
        Level.RED,
        Action.BACK_OFF,
        lambda s: s.morning.active and _today(s) > MORNING_LIMIT,
        lambda s: (
            f"Your first steps hurt {_today(s)}/10 after yesterday's "
            f"{s.morning.activity_name}: above {MORNING_LIMIT}/10, your foot has not "
            f"settled. {_BACK_OFF_SOFT}"
        ),
    ),
    Rule(
        "morning-high",
        Level.AMBER,
        Action.HOLD,
        lambda s: _today(s) > MORNING_LIMIT,
        lambda s: (
            f"Your first steps hurt {_today(s)}/10, above {MORNING_LIMIT}/10. Don't add "
            "load on a morning like this. If it stays this high or keeps rising, see your "
            "doctor or physio."
        ),
    ),
    Rule(
        "morning-rising",
        Level.AMBER,
        Action.HOLD,
        lambda s: _rise(s) >= 1,
        lambda s: (
            f"Your first steps hurt a little more than last time ({s.trend.previous_pain} → "
            f"{_today(s)}/10). Keep the same load for now and see how tomorrow feels."
        ),
    ),
    Rule(
        "above-baseline",
        Level.AMBER,
        Action.HOLD,
        _above_baseline,
        lambda s: (
            f"Your first steps hurt {_today(s)}/10, more than your usual this past week "
            f"({s.trend.baseline:g}/10). Keep your load as it is until your mornings are "
            "back to your usual."
        ),
    ),
    Rule(
        "trending-up",
        Level.AMBER,
        Action.HOLD,
        lambda s: s.trend.rising(_today(s)),
        lambda s: (
            "Your mornings have been creeping up over the past week. Keep your load as it "
            "is until they settle."
        ),
    ),
    Rule(
        "weekly-rise",
        Level.AMBER,
        Action.HOLD,
        lambda s: s.trend.weekly_rise,
        lambda s: (
            "Your morning pain or stiffness is higher this week than last. It should not "
            "rise from week to week: keep your load steady until it settles."
        ),
    ),
    Rule(
        "not-settling",
        Level.AMBER,
        Action.HOLD,
        lambda s: s.trend.baseline is not None and s.trend.never_fell(_today(s)),
        lambda s: (
            "Your mornings haven't come down at all this past week. Keep your load as it is: "
            "add to it only once your first steps start to ease."
        ),
    ),
    Rule(
        "condition-unknown",
        Level.AMBER,
        Action.HOLD,
        lambda s: s.condition not in SOFT_TISSUE_CONDITIONS,
        lambda s: (
            "Footing doesn't know your main problem yet, so it won't tell you to add load. "
            "Take the self-check or ask your doctor, then set your main problem in your "
            "settings."
        ),
        Pointer.SELF_CHECK,
    ),
    Rule(
        "first-mornings",
        Level.AMBER,
        Action.HOLD,
        lambda s: s.trend.baseline is None,
        _first_mornings_says,
    ),
    Rule(
        "signs-unanswered",
        Level.AMBER,
        Action.HOLD,
        lambda s: not s.morning.flags_answered,
        lambda s: (
            "The warning signs weren't answered today, so Footing won't suggest more load. "
            "Tick any that are true, or \u201cNone of these\u201d."
        ),
    ),
    Rule(
        "rest-day",
        Level.GREEN,
        Action.HOLD,
        lambda s: not s.morning.active,
        lambda s: (
            "Your mornings are steady or better. Keep to your plan; after your next run or "
            "session, tell Footing how it felt during and after."
        ),
    ),
    Rule(
        "activity-pain-unknown",
        Level.AMBER,
        Action.HOLD,
        lambda s: not s.morning.activity_pain_known,
        lambda s: (
            f"Footing needs how much yesterday's {s.morning.activity_name} hurt both during "
            "and after before it suggests more. Keep your load as it is, and add both next "
            "time."
        ),
    ),
    Rule(
        "settled-by-morning",
        Level.GREEN,
        Action.PROGRESS,
        lambda s: True,
        lambda s: (
            f"Pain stayed at {PAIN_LIMIT}/10 or less during and after, and your mornings are "
            "settling. You can add a little load next time, then see how your foot feels "
            "the morning after."
        ),
    ),
)


def _step_back(s: Situation) -> str:
    plan = s.run_return
    if plan.cleared and plan.previous_stage:
        return (
            f"Rest a day, then go back to {plan.previous_stage}, the last stage that was pain-free."
        )
    if plan.cleared and plan.stage:
        return f"Rest a day or two, and try {plan.stage} again only once walking is pain-free."
    return (
        "Take load off it: fewer or shorter runs, softer ground, or cycling or swimming "
        "instead, until your mornings and walking are pain-free."
    )


def _walking_painful(s: Situation) -> bool:
    return s.morning.walking_pain_free is False


BONE_RULES: tuple[Rule, ...] = (
    Rule(
        "bone-pain-during",
        Level.RED,
        Action.BACK_OFF,
        lambda s: s.morning.active and (s.morning.pain_during or 0) > 0,
        lambda s: (
            f"You felt {s.morning.pain_during}/10 during yesterday's "
            f"{s.morning.activity_name}. With a bone injury the rule is no pain at the "
            f"injury site. {_step_back(s)}"
        ),
        Pointer.PLAN,
    ),
    Rule(
        "bone-pain-after",
        Level.RED,
        Action.BACK_OFF,
        lambda s: s.morning.active and (s.morning.pain_after or 0) > 0,
        lambda s: (
            f"You felt {s.morning.pain_after}/10 after yesterday's {s.morning.activity_name}. "
            f"With a bone injury the rule is no pain at the injury site. {_step_back(s)}"
        ),
        Pointer.PLAN,
    ),
    Rule(
        "bone-pain-next-day",
        Level.RED,
        Action.BACK_OFF,
        lambda s: _today(s) > 0,
        lambda s: (
            f"Your foot still hurts this morning ({_today(s)}/10). Bone pain that lasts into "
            f"the next day means a step back. {_step_back(s)}"
        ),
        Pointer.PLAN,
    ),
    Rule(
        "bone-walking-pain",
        Level.RED,
        Action.BACK_OFF,
        _walking_painful,
        lambda s: (
            f"Walking hurt yesterday. With a bone injury that means a step back. {_step_back(s)}"
        ),
        Pointer.PLAN,
    ),
    Rule(
        "bone-run-before-clearance",
        Level.RED,
        Action.BACK_OFF,
        lambda s: (
            s.morning.activity == "run"
            and s.condition in RUNNING_NEEDS_CLEARANCE
            and not s.run_return.cleared
        ),
        lambda s: (
            "You ran yesterday, but you haven't been cleared to return to running. Running "
            "on a bone injury can make the break worse: keep fit with swimming, cycling or "
            "deep-water running until your doctor clears you."
        ),
        Pointer.PLAN,
    ),
    Rule(
        "bone-recent-pain",
        Level.AMBER,
        Action.HOLD,
        lambda s: any(pain > 0 for _, pain in s.trend.recent),
        lambda s: (
            "Pain-free this morning, but your foot was sore earlier this week. Stay where "
            "you are until you have had a few pain-free mornings in a row."
        ),
        Pointer.PLAN,
    ),
    Rule(
        "weekly-rise",
        Level.AMBER,
        Action.HOLD,
        lambda s: s.trend.weekly_rise,
        lambda s: (
            "Your morning pain or stiffness is higher this week than last. Stay where you "
            "are until it settles."
        ),
    ),
    Rule(
        "bone-not-cleared",
        Level.AMBER,
        Action.HOLD,
        lambda s: not s.run_return.cleared,
        lambda s: (
            "No pain at the injury site: good. Running waits until your clinician has "
            "cleared you to return to it. Until then keep fit without impact, and keep your "
            "walking pain-free."
            if s.condition in RUNNING_NEEDS_CLEARANCE
            else "No pain at the injury site: good. Keep your load as it is. With a bone "
            "injury Footing suggests more only once your clinician has cleared you to build "
            "your running back up."
        ),
        Pointer.PLAN,
    ),
    Rule(
        "first-mornings",
        Level.AMBER,
        Action.HOLD,
        lambda s: s.trend.previous_pain is None,
        lambda s: (
            "This check-in is your starting point. Stay on your current stage: the next "
            "step comes after at least two pain-free mornings in a row."
        ),
        Pointer.PLAN,
    ),
    Rule(
        "signs-unanswered",
        Level.AMBER,
        Action.HOLD,
        lambda s: not s.morning.flags_answered,
        lambda s: (
            "The warning signs weren't answered today, so Footing won't suggest the next "
            "stage. Tick any that are true, or \u201cNone of these\u201d."
        ),
    ),
    Rule(
        "bone-walking-unknown",
        Level.AMBER,
        Action.HOLD,
        lambda s: s.morning.walking_pain_free is None,
        lambda s: (
            "Tell Footing whether walking was pain-free yesterday: the next stage waits "
            "for pain-free walking."
        ),
        Pointer.PLAN,
    ),
    Rule(
        "rest-day",
        Level.GREEN,
        Action.HOLD,
        lambda s: not s.morning.active,
        lambda s: (
            f"No pain at the injury site. Stay on {s.run_return.stage or 'your current stage'}."
        ),
        Pointer.PLAN,
    ),
    Rule(
        "activity-pain-unknown",
        Level.AMBER,
        Action.HOLD,
        lambda s: not s.morning.activity_pain_known,
        lambda s: (
            f"Footing needs whether yesterday's {s.morning.activity_name} hurt during and "
            "after before it suggests the next stage. Stay where you are, and add both next "
            "time."
        ),
        Pointer.PLAN,
    ),
    Rule(
        "bone-last-stage",
        Level.GREEN,
        Action.HOLD,
        lambda s: not s.run_return.next_stage,
        lambda s: (
            "No pain at the injury site, and you are on the last stage of the plan. Keep "
            "building your running gently, and check in each morning."
        ),
        Pointer.PLAN,
    ),
    Rule(
        "bone-pain-free",
        Level.GREEN,
        Action.PROGRESS,
        lambda s: True,
        lambda s: (
            "No pain at the injury site, walking is pain-free and your clinician has cleared "
            f"you. Once you have done {s.run_return.stage or 'this stage'} twice like this, "
            f"move on to {s.run_return.next_stage}: more often first, then longer, then faster."
        ),
        Pointer.PLAN,
    ),
)

ACTION_HEADINGS = {
    Action.PROGRESS: "You can add a little",
    Action.HOLD: "Keep your load as it is",
    Action.BACK_OFF: "Ease off",
    Action.STOP: "No running or training today",
    Action.SEE_DOCTOR: "See a sports medicine doctor first",
}

RED_FLAG_ADVICE = Advice(
    Level.RED,
    Action.STOP,
    "red-flag",
    "Don't run or train on this foot until a doctor has seen you.",
    Pointer.DOCTOR,
)


def _doctor_first_advice(condition_name: str) -> Advice:
    return Advice(
        Level.RED,
        Action.SEE_DOCTOR,
        "doctor-first",
        f"Footing gives no load advice for {condition_name.lower()}: the same signs can be a blood "
        "clot or a trapped nerve, which need a doctor, not training. See a sports medicine "
        "doctor as soon as you can, and don't train through the calf pain until then.",
        Pointer.DOCTOR,
    )


# How a clinician or the result page's "why" names the rule that fired.
RULE_TITLES = {
    "red-flag": "a warning sign needs a doctor first",
    "doctor-first": "this condition needs a doctor before any load advice",
    "pain-during-over-5": "pain during activity above 5/10",
    "pain-after-over-5": "pain after activity above 5/10",
    "worse-next-morning": "worse the next morning",
    "morning-high-after-activity": "first steps above 5/10 after activity",
    "morning-high": "first steps above 5/10",
    "morning-rising": "first-step pain creeping up",
    "above-baseline": "first steps above the usual of the past week",
    "trending-up": "mornings trending upward over the week",
    "weekly-rise": "pain or stiffness rising week to week",
    "not-settling": "mornings not coming down",
    "condition-unknown": "main problem not known",
    "first-mornings": "not enough mornings to compare yet",
    "signs-unanswered": "warning signs not answered",
    "rest-day": "no activity to judge",
    "activity-pain-unknown": "pain during or after not given",
    "settled-by-morning": "pain within limits and mornings settling",
    "bone-pain-during": "bone: pain during activity",
    "bone-pain-after": "bone: pain after activity",
    "bone-pain-next-day": "bone: pain into the next day",
    "bone-walking-pain": "bone: walking hurt",
    "bone-run-before-clearance": "bone: running before clearance",
    "bone-recent-pain": "bone: sore earlier this week",
    "bone-not-cleared": "bone: not cleared to run yet",
    "bone-walking-unknown": "bone: walking not reported",
    "bone-last-stage": "bone: last stage of the plan",
    "bone-pain-free": "bone: no pain at the injury site",
}


def rules_for(condition: str) -> tuple[Rule, ...]:
    return BONE_RULES if condition in BONE_CONDITIONS else SOFT_TISSUE_RULES


def advise(
    *,
    morning: Morning,
    trend: Trend,
    condition: str = "",
    doctor_first: bool = False,
    condition_name: str = "",
    run_return: RunReturn | None = None,
) -> Advice:
    """Today's advice. `doctor_first` comes from the condition's content (the library
    decides it); a condition outside the known soft-tissue and bone sets never earns
    "progress" either way."""
    if morning.flags:
        return RED_FLAG_ADVICE
    if doctor_first:
        return _doctor_first_advice(condition_name or "this condition")
    situation = Situation(
        morning=morning, trend=trend, condition=condition, run_return=run_return or RunReturn()
    )
    for rule in rules_for(condition):
        if rule.applies(situation):
            return Advice(rule.level, rule.action, rule.name, rule.says(situation), rule.points_to)
    raise AssertionError("the last rule of each table always applies")


@dataclass(frozen=True)
class Assessment:
    """What the result page shows, in order: the red-flag triage (if any), then advice."""

    triage: Triage | None
    advice: Advice
    first_checkin: bool = False  # the runner's first check-in ever: the page welcomes them

    @property
    def first(self) -> Triage | Advice:
        """What leads the page: the triage when there is one."""
        return self.triage or self.advice


def assess(
    *,
    morning: Morning,
    trend: Trend,
    condition: str = "",
    doctor_first: bool = False,
    condition_name: str = "",
    run_return: RunReturn | None = None,
) -> Assessment:
    return Assessment(
        triage=triage(morning.flags),
        advice=advise(
            morning=morning,
            trend=trend,
            condition=condition,
            doctor_first=doctor_first,
            condition_name=condition_name,
            run_return=run_return,
        ),
        first_checkin=trend.mornings_before == 0,
    )
