"""Request bodies validate as dicts (api/schemas.py InSchema) exactly as ninja's own way did.

ninja's Schema wrapped every input in its DjangoGetter before pydantic read it; InSchema
hands a JSON body to pydantic as it is (faster on every write). For every request body
the API reads and any body a phone or an attacker may send — good, half-good, wrong
types, unknown keys, NUL characters, nested items — both ways give the same values and
the same "which fields were sent" (the check-in's `red_flags` left out means "not
answered"), or the same errors, field by field.
"""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, ValidationError, model_validator

import api.v1  # noqa: F401 (every router's schemas defined)
from api.journal import CheckInIn
from api.schemas import NINJA_ROOT_VALIDATOR, InSchema
from journal.advice import RED_FLAG_FIELDS
from journal.models import Activity, Location


def in_schemas() -> list[type[InSchema]]:
    found, todo = [], list(InSchema.__subclasses__())
    while todo:
        cls = todo.pop()
        found.append(cls)
        todo += cls.__subclasses__()
    return sorted({c for c in found if not c.__name__.startswith("NinjaWay")}, key=repr)


def ninja_way(cls: type[InSchema]) -> type[InSchema]:
    """The same schema, validated through ninja's DjangoGetter as before."""
    root = model_validator(mode="wrap")(classmethod(NINJA_ROOT_VALIDATOR))
    return type(f"NinjaWay{cls.__name__}", (cls,), {"_run_root_validator": root})


SCHEMAS = in_schemas()
NINJA = {cls: ninja_way(cls) for cls in SCHEMAS}
today = datetime.now(UTC).date()

# Values a body's fields may hold: the right kinds for the API's fields, and wrong ones.
texts = st.sampled_from(
    [*Location.values, *Activity.values, *RED_FLAG_FIELDS, "yes", "no", "unsure", "x\x00y", ""]
) | st.text(max_size=8)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-3, max_value=1500),
    st.floats(allow_nan=False, allow_infinity=False, min_value=-5, max_value=400),
    texts,
    st.uuids().map(str),
    st.integers(min_value=-3, max_value=2).map(lambda d: (today + timedelta(days=d)).isoformat()),
    st.sampled_from(
        [f"{today.isoformat()}T06:45:12.345Z", f"{today.isoformat()}T06:45:12", "yesterday"]
    ),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(texts, inner, max_size=3),
    max_leaves=8,
)


@st.composite
def bodies(draw: st.DrawFn, cls: type[BaseModel]) -> dict[str, Any]:
    names = [field.alias or name for name, field in cls.model_fields.items()]
    body: dict[str, Any] = {}
    for name in names:
        if draw(st.integers(0, 4)):  # most fields sent, some left out
            body[name] = draw(json_values)
    if draw(st.booleans()):
        body["client_id"] = str(uuid.uuid4())
    if draw(st.integers(0, 5)) == 0:
        body[draw(texts)] = draw(json_values)  # a key the schema does not read
    return body


def outcome(cls: type[BaseModel], body: dict[str, Any]) -> Any:
    try:
        made = cls.model_validate(body)
    except ValidationError as error:
        return "refused", [(e["type"], e["loc"], e["msg"]) for e in error.errors()]
    return "made", made.model_dump(), made.model_fields_set


@settings(max_examples=400, deadline=None, suppress_health_check=list(HealthCheck))
@given(data=st.data())
def test_every_body_validates_as_ninjas_way_did(data: st.DataObject) -> None:
    cls = data.draw(st.sampled_from(SCHEMAS))
    body = data.draw(bodies(cls))
    assert outcome(cls, body) == outcome(NINJA[cls], body)


def test_a_whole_check_in_is_made_both_ways_and_left_out_flags_stay_unanswered() -> None:
    body = {
        "client_id": str(uuid.uuid4()),
        "date": today.isoformat(),
        "first_step_pain": 3,
        "locations": ["heel-centre"],
        "activity": "run",
        "distance_km": 6.5,
        "pain_during": 2,
        "answered_at": f"{today.isoformat()}T06:45:12Z",
    }
    ours, ninjas = outcome(CheckInIn, body), outcome(NINJA[CheckInIn], body)
    assert ours == ninjas
    assert ours[0] == "made" and "red_flags" not in ours[2]
    assert not CheckInIn.model_validate(body).answers().flags_answered


def test_the_schemas_compared_are_the_apis() -> None:
    names = {cls.__name__ for cls in SCHEMAS}
    assert {"CheckInIn", "CheckInEdit", "SessionIn", "SessionExerciseIn", "DraftIn"} <= names
