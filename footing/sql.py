"""The few reads every request makes, in SQL written once, with the ORM's own conversions.

Building a query through the ORM (cloning the queryset, resolving filters and joins,
compiling) costs 0.6–0.9 ms on this machine for a single-row read that SQLite answers in
0.01–0.03 ms. A logged-in request makes such reads every time (its session, the person
with their profile) and a check-in one more (the two weeks its advice reads), so those
are written as SQL from the models' own tables and columns (`Columns`), and each value
goes through the converters the ORM itself applies (the backend's, then the field's):
what comes back is what the ORM returns. Tests compare both on SQLite and PostgreSQL.

Only for reads measured to matter (bench/profile.py); everything else uses the ORM.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import Field, Model
from django.db.models.expressions import Col


@dataclass(frozen=True)
class Columns[M: Model]:
    """Some (by default all) concrete columns of a model, read in this order."""

    model: type[M]
    names: tuple[str, ...] = ()

    @cached_property
    def fields(self) -> tuple[Field[Any, Any], ...]:
        concrete = self.model._meta.concrete_fields
        if not self.names:
            return tuple(concrete)
        by_name = {field.name: field for field in concrete}
        return tuple(by_name[name] for name in self.names)

    @cached_property
    def _columns(self) -> tuple[Col, ...]:
        table = self.model._meta.db_table
        return tuple(field.get_col(table) for field in self.fields)

    def __len__(self) -> int:
        return len(self.fields)

    def select(self, connection: BaseDatabaseWrapper, alias: str | None = None) -> str:
        """`"table"."column", ...` (or under an alias) for a SELECT list."""
        quote = connection.ops.quote_name
        table = quote(alias or self.model._meta.db_table)
        return ", ".join(f"{table}.{quote(str(field.column))}" for field in self.fields)

    def values(self, connection: BaseDatabaseWrapper, row: Sequence[Any]) -> list[Any]:
        """The row's values as the ORM hands them over (dates, booleans, UUIDs, zones)."""
        converted = []
        for column, value in zip(self._columns, row, strict=True):
            for convert in connection.ops.get_db_converters(column) + column.get_db_converters(
                connection
            ):
                value = convert(value, column, connection)
            converted.append(value)
        return converted

    def instance(self, connection: BaseDatabaseWrapper, row: Sequence[Any]) -> M:
        """A model instance from the row, as a queryset would build it."""
        return self.model.from_db(
            connection.alias,
            [field.attname for field in self.fields],
            self.values(connection, row),
        )
