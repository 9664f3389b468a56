"""The base of every request body the API reads."""

from __future__ import annotations

from typing import Any

from ninja import Schema
from pydantic import BaseModel, field_validator


class InSchema(Schema):
    """A request body: no text in it may hold a NUL character.

    PostgreSQL refuses NUL in text and JSON, so one would otherwise end as a 500 from
    whichever query met it first. Checked on the fields the API reads, so keys it ignores
    cost nothing; `api/openapi.py` states the rule on every string in the schema.
    """

    @field_validator("*", mode="after")
    @classmethod
    def _no_nul(cls, value: Any) -> Any:
        where = _nul_at(value)
        if where is not None:
            place = f" (at {where})" if where else ""
            raise ValueError(f"Text cannot contain a NUL character{place}.")
        return value


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
