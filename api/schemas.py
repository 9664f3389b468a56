"""The base of every request body the API reads, the value types bodies share, and the one
error shape every route answers with."""

from __future__ import annotations

import json
from contextvars import ContextVar
from datetime import date, datetime
from types import MethodType
from typing import Annotated, Any

from django.utils import timezone
from ninja import Field, Schema
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    BeforeValidator,
    ModelWrapValidatorHandler,
    ValidationInfo,
    field_validator,
    model_validator,
)

from footing.errors import Invalid
from footing.times import EARLIEST_DAY, day_checked, time_checked


def _iso_text(value: Any) -> Any:
    # Not a number of seconds, not a boolean: a date or time is written out.
    if not isinstance(value, str):
        raise ValueError("Write the date or time as ISO 8601 text.")
    return value


def _moment(value: datetime) -> datetime:
    try:
        return time_checked(value, field="", now=timezone.now())
    except Invalid as error:
        raise ValueError(error.message) from error


def _day(value: date) -> date:
    try:
        return day_checked(value, field="", now=timezone.now())
    except Invalid as error:
        raise ValueError(error.message) from error


_BOUNDS = f"From {EARLIEST_DAY.isoformat()} to a day past the server's now."
# A moment a phone recorded: with its time zone (a naive time is a 422), in bounds
# (footing/times.py). Strings like "2026-12-01T07:30:00+01:00" or "...Z".
Moment = Annotated[
    AwareDatetime,
    BeforeValidator(_iso_text),
    AfterValidator(_moment),
    Field(description=f"An ISO 8601 time with its zone offset. {_BOUNDS}"),
]
# A calendar day, in the same bounds.
Day = Annotated[
    date,
    BeforeValidator(_iso_text),
    AfterValidator(_day),
    Field(description=f"An ISO 8601 date. {_BOUNDS}"),
]
# Whole numbers and yes/no answers as JSON numbers and booleans only: `true` is not a
# pain score of 1, and "7" is not 7.
Score = Annotated[int, Field(strict=True, ge=0, le=10)]
StrictBool = Annotated[bool, Field(strict=True)]


class ErrorOut(Schema):
    """What every 4xx says (api/v1.py maps the project's errors and bad input to it): a
    sentence for the person, and the field it is about when there is one."""

    detail: str
    field: str | None = None


# ninja's own wrap validator on Schema (the DjangoGetter), as a plain function of the class.
_ninja_root = Schema.__pydantic_decorators__.model_validators["_run_root_validator"].func
NINJA_ROOT_VALIDATOR = _ninja_root.__func__ if isinstance(_ninja_root, MethodType) else _ninja_root


class InSchema(Schema):
    """A request body: no text in it may hold a NUL character.

    PostgreSQL refuses NUL in text and JSON, so one would otherwise end as a 500 from
    whichever query met it first. Checked on the fields the API reads, so keys it ignores
    cost nothing; `api/openapi.py` states the rule on every string in the schema.
    """

    @model_validator(mode="wrap")
    @classmethod
    def _run_root_validator(
        cls, values: Any, handler: ModelWrapValidatorHandler[Any], info: ValidationInfo
    ) -> Any:
        """A JSON body (a dict of JSON values) is validated as it is. ninja's Schema wraps
        every input in its DjangoGetter, made for model instances (related managers,
        files, callables, resolvers), which a body never holds: one Python attribute read
        per field, ~30 µs of each check-in write. Anything else goes ninja's way.
        tests/api/test_in_schema.py holds both ways to the same result for every body."""
        if isinstance(values, dict) and not cls._ninja_resolvers:
            if _NUL_FREE.get() or _may_hold_nul(values):
                return handler(values)
            free = _NUL_FREE.set(True)  # for this model's fields and the models inside it
            try:
                return handler(values)
            finally:
                _NUL_FREE.reset(free)
        return NINJA_ROOT_VALIDATOR(cls, values, handler, info)

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        if _NUL_FREE.get():
            return value
        where = _nul_at(value)
        if where is not None:
            place = f" (at {where})" if where else ""
            raise ValueError(f"Text cannot contain a NUL character{place}.")
        return value


# Set while a body already known to hold no NUL anywhere is validated: each field's own
# search for one (a Python call per field, half of a check-in's validation) is then moot.
_NUL_FREE: ContextVar[bool] = ContextVar("nul_free", default=False)


def _may_hold_nul(values: dict[str, Any]) -> bool:
    """False only when no key or text anywhere in `values` holds a NUL: JSON writes that
    character as \\u0000 (in C, a few µs). Values JSON cannot write (dates, sets, bytes
    from Python callers) and a literal "\\u0000" in a text answer True: each field is
    then searched as before."""
    try:
        written = json.dumps(values, ensure_ascii=False)
    except (TypeError, ValueError):
        return True
    return "\\u0000" in written


def _nul_at(value: Any) -> str | None:
    """Where a NUL hides in a value: "" for the value itself, "0.note" deeper, else None."""
    if isinstance(value, str):
        return "" if "\x00" in value else None
    if isinstance(value, BaseModel):
        value = value.model_dump()
    if isinstance(value, dict):
        items = list(value.items())
    elif isinstance(value, list | tuple | set | frozenset):
        items = list(enumerate(value))
    else:
        return None
    for key, item in items:
        if isinstance(key, str) and "\x00" in key:
            return key.replace("\x00", "\\u0000")
        inner = _nul_at(item)
        if inner is not None:
            return f"{key}.{inner}" if inner else str(key)
    return None
