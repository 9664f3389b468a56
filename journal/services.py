"""Recording morning check-ins. Replays are expected: the phone sends until it hears back."""

from __future__ import annotations

import uuid
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, fields
from datetime import date, datetime
from decimal import Decimal

from django.contrib.auth.models import User
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from accounts.selectors import local_today
from footing.errors import Conflict, Invalid, NotFound
from footing.times import day_checked, time_checked
from journal.advice import RED_FLAG_FIELDS, pain_needs_activity
from journal.models import Activity, CheckIn, Location, ReturnToRun
from journal.selectors import return_to_run_next
from journal.upsert import checkin_upsert
from library.return_plan import return_plan

MAX_DISTANCE_KM = Decimal("300")
# The known answers, as sets: `Choices.values` builds its list anew on every read.
LOCATIONS = frozenset(Location.values)
ACTIVITIES = frozenset(Activity.values)
FLAGS = frozenset(RED_FLAG_FIELDS)


@dataclass(frozen=True, kw_only=True)
class Answers:
    """One morning's answers, as both the page form and the API hand them over."""

    date: date
    first_step_pain: int
    locations: tuple[str, ...] = ()
    stiffness_minutes: int | None = None
    activity: str = ""
    distance_km: Decimal | None = None
    pain_during: int | None = None
    pain_after: int | None = None
    walking_pain_free: bool | None = None
    flags: frozenset[str] = field(default_factory=frozenset)
    # The warning signs were answered: some ticked, or "None of these". With flags ticked
    # they count as answered whatever this says.
    flags_answered: bool = False
    answered_at: datetime | None = None


ANSWER_FIELDS = tuple(answer.name for answer in fields(Answers))


def checkin_record(
    *, user: User, client_id: uuid.UUID, answers: Answers, now: datetime | None = None
) -> tuple[CheckIn, bool]:
    """Store this morning's check-in. Returns (check-in, created).

    One per local day: the same client UUID, or another check-in on the same day,
    updates the row that is there. Race-free: the unique constraints decide, so replays
    arriving together still leave one row, and the loser updates the winner's.
    """
    now = now or timezone.now()
    values = _checked(user=user, answers=answers, now=now)
    try:
        with _savepoint_if_nested():
            recorded = checkin_upsert(user=user, client_id=client_id, values=values, now=now)
    except IntegrityError:
        recorded = None  # this client id is another day's row (moving it is below)
    if recorded is not None:
        return recorded
    for _attempt in range(2):
        existing = (
            CheckIn.objects.filter(user=user, client_id=client_id).first()
            or CheckIn.objects.filter(user=user, date=answers.date).first()
        )
        if existing is not None:
            return _update(existing, values), False
        try:
            with transaction.atomic():
                return CheckIn.objects.create(user=user, client_id=client_id, **values), True
        except IntegrityError:
            continue  # a concurrent request won the insert; update its row instead
    raise Conflict("This check-in was changed at the same time; send it again.")


def _savepoint_if_nested() -> AbstractContextManager[object]:
    """A failed statement must not break an outer transaction (PostgreSQL aborts it);
    outside one, the statement is its own transaction and needs no wrapping."""
    return transaction.atomic() if connection.in_atomic_block else nullcontext()


def checkin_update(
    *, user: User, client_id: uuid.UUID, answers: Answers, now: datetime | None = None
) -> CheckIn:
    """Replace the answers of one of the runner's own check-ins."""
    checkin = CheckIn.objects.filter(user=user, client_id=client_id).first()
    if checkin is None:
        raise NotFound("No such check-in.")
    return _update(checkin, _checked(user=user, answers=answers, now=now or timezone.now()))


def checkin_delete(*, user: User, client_id: uuid.UUID) -> None:
    deleted, _ = CheckIn.objects.filter(user=user, client_id=client_id).delete()
    if not deleted:
        raise NotFound("No such check-in.")


def _update(checkin: CheckIn, values: dict[str, object]) -> CheckIn:
    # An older answer arriving late (a phone that was offline for days) never
    # overwrites what the runner said after it.
    answered_at = values["answered_at"]
    assert isinstance(answered_at, datetime)
    if answered_at < checkin.answered_at:
        return checkin
    # A replay of what is stored writes nothing: `updated_at` says when the answers last
    # changed, which is when a red flag the clinic marked handled can wait again.
    if all(getattr(checkin, name) == value for name, value in values.items()):
        return checkin
    for name, value in values.items():
        setattr(checkin, name, value)
    try:
        with transaction.atomic():
            checkin.save()
    except IntegrityError as error:
        raise Conflict("You already have a check-in on that day.", field="date") from error
    return checkin


def _checked(*, user: User, answers: Answers, now: datetime) -> dict[str, object]:
    """The answers as model values, once every rule holds."""
    day_checked(answers.date, field="date", now=now)
    if answers.answered_at is not None:
        time_checked(answers.answered_at, field="answered_at", now=now)
    if answers.date > local_today(user=user, now=now):
        raise Invalid("The date is in the future (in your time zone).", field="date")
    _pain("first_step_pain", answers.first_step_pain)
    for name in ("pain_during", "pain_after"):
        value = getattr(answers, name)
        if value is not None:
            _pain(name, value)
    unknown = [item for item in answers.locations if item not in LOCATIONS]
    if unknown:
        raise Invalid(f"Unknown location {unknown[0]!r}.", field="locations")
    bad_flags = sorted(set(answers.flags) - FLAGS)
    if bad_flags:
        raise Invalid(f"Unknown red flag {bad_flags[0]!r}.", field="flags")
    if answers.activity and answers.activity not in ACTIVITIES:
        raise Invalid(f"Unknown activity {answers.activity!r}.", field="activity")
    if answers.stiffness_minutes is not None and not 0 <= answers.stiffness_minutes <= 24 * 60:
        raise Invalid("Stiffness is counted in minutes, up to a day.", field="stiffness_minutes")
    for name in ("pain_during", "pain_after"):
        if getattr(answers, name) is not None and not pain_needs_activity(answers.activity):
            raise Invalid("Pain during or after needs a run or cross-training.", field=name)
    if answers.distance_km is not None:
        if answers.activity != Activity.RUN:
            raise Invalid("A distance needs a run.", field="distance_km")
        if not Decimal(0) <= answers.distance_km <= MAX_DISTANCE_KM:
            raise Invalid("The distance is out of range.", field="distance_km")
    # A shallow copy (every answer is immutable); asdict's deep copy cost ~0.1 ms a write.
    values = {name: getattr(answers, name) for name in ANSWER_FIELDS}
    flags = set(values.pop("flags"))
    answered = values.pop("flags_answered")
    values["red_flags_answered"] = bool(flags) or answered
    values["locations"] = list(dict.fromkeys(answers.locations))
    values["answered_at"] = min(answers.answered_at or now, now)
    values.update({name: name in flags for name in RED_FLAG_FIELDS})
    return values


def _pain(name: str, value: int) -> None:
    if not 0 <= value <= 10:
        raise Invalid("Pain is scored from 0 to 10.", field=name)


# ---- the return-to-running plan --------------------------------------------------------
def return_to_run_set(
    *, patient: User, cleared: bool, stage: str, by: User, now: datetime | None = None
) -> ReturnToRun:
    """The clinician's say: cleared to return to running or not, and the plan's stage.
    The caller (the clinic) has already checked that `by` looks after `patient`."""
    plan = return_plan()
    if stage and stage not in {s.slug for s in plan.stages}:
        raise Invalid(f"There is no stage {stage!r} in the plan.", field="stage")
    row, _ = ReturnToRun.objects.update_or_create(
        user=patient,
        defaults={
            "cleared": cleared,
            "stage": stage,
            "changed_by": by,
            "changed_at": now or timezone.now(),
        },
    )
    return row


def return_to_run_step(*, user: User, to: str, now: datetime | None = None) -> ReturnToRun:
    """The runner moves one stage along the plan: back any time (stepping back is always
    safe), forward only to the stage `return_to_run_next` allows today."""
    now = now or timezone.now()
    plan = return_plan()
    row = ReturnToRun.objects.filter(user=user).first()
    behind = plan.before_this(row.stage if row else "")
    if behind is None or to != behind.slug:
        ahead, reason = return_to_run_next(user=user, now=now)
        if ahead is None:
            raise Invalid(reason, field="stage")
        if to != ahead.slug:
            raise Invalid("Move one stage at a time, from the stage you are on.", field="stage")
    row, _ = ReturnToRun.objects.update_or_create(
        user=user, defaults={"stage": to, "changed_by": user, "changed_at": now}
    )
    return row
