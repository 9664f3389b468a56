"""The few reads every request makes, in SQL written once, with the ORM's own conversions.

Building a query through the ORM (cloning the queryset, resolving filters and joins,
compiling) costs 0.6–0.9 ms on this machine for a single-row read that SQLite answers in
0.01–0.03 ms. A logged-in request makes such reads every time (its session, the person
with their profile) and a check-in one more (the two weeks its advice reads), so those
are written as SQL from the models' own tables and columns (`Columns`), and each value
goes through the converters the ORM itself applies (the backend's, then the field's):
what comes back is what the ORM returns. Tests compare both on SQLite and PostgreSQL.

Only for reads measured to matter (bench/profile.py); everything else uses the ORM.
`CompiledQueries` is the same idea for queries too large to write by hand: the ORM
builds and compiles them once per key, and each request only executes them.
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any
from weakref import WeakKeyDictionary

from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models import BooleanField, Field, Func, Model, QuerySet, TextField, Value
from django.db.models.expressions import Col
from django.db.models.sql.compiler import SQLCompiler


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
        for convert, column, value in zip(
            self._converters(connection), self._columns, row, strict=True
        ):
            for converter in convert:
                value = converter(value, column, connection)
            converted.append(value)
        return converted

    def _converters(self, connection: BaseDatabaseWrapper) -> tuple[tuple[Any, ...], ...]:
        """Each column's converters (the backend's, then the field's), as the ORM's
        compiler collects them: worked out once per connection, not once per value."""
        found = self._by_connection.get(connection)
        if found is None:
            found = tuple(
                tuple(
                    connection.ops.get_db_converters(column) + column.get_db_converters(connection)
                )
                for column in self._columns
            )
            self._by_connection[connection] = found
        return found

    @cached_property
    def _by_connection(
        self,
    ) -> WeakKeyDictionary[BaseDatabaseWrapper, tuple[tuple[Any, ...], ...]]:
        # Keyed by the connection object itself (one per thread and alias): converters are
        # its own bound methods, and a closed-down connection takes its entry with it.
        return WeakKeyDictionary()

    def instance(self, connection: BaseDatabaseWrapper, row: Sequence[Any]) -> M:
        """A model instance from the row, as a queryset would build it."""
        return self.model.from_db(
            connection.alias,
            [field.attname for field in self.fields],
            self.values(connection, row),
        )


class CompiledQueries:
    """Querysets built and compiled once per key, then only executed.

    Building a queryset of correlated subqueries and CASE expressions, and compiling it,
    costs tens of milliseconds of CPU where the database answers in a few: each request
    rebuilt the same expression trees. Here a queryset is built (`build()`) and compiled
    the first time its `key` is asked for; after that its SQL text and parameters run
    straight on the cursor and each row goes through the converters the compiler chose,
    so what comes back is what `values_list()` returns.

    The key must name everything the queryset is built from (its ids, days, words,
    sort, page): same key, same SQL and parameters, by construction. Kept per database
    connection (a connection is one thread's), the least recently used dropped first.
    """

    def __init__(self, size: int = 256) -> None:
        self.size = size
        self._kept: WeakKeyDictionary[BaseDatabaseWrapper, OrderedDict[Hashable, _Compiled]] = (
            WeakKeyDictionary()
        )

    def rows(self, key: Hashable, build: Callable[[], QuerySet[Any, Any]]) -> list[Any]:
        """The rows of `build()`'s queryset (a values_list query) for this key."""
        return self._compiled(key, build).run()

    def sql(
        self, key: Hashable, build: Callable[[], QuerySet[Any, Any]]
    ) -> tuple[str, tuple[Any, ...]]:
        """The SQL text and parameters of `build()`'s queryset for this key, to be written
        into a larger statement (`run_sql`): e.g. as a MATERIALIZED common table
        expression, which the ORM cannot write."""
        compiled = self._compiled(key, build)
        return compiled.sql, compiled.params

    def _compiled(self, key: Hashable, build: Callable[[], QuerySet[Any, Any]]) -> _Compiled:
        kept = self._kept.setdefault(connections[DEFAULT_DB_ALIAS], OrderedDict())
        compiled = kept.get(key)
        if compiled is None:
            compiled = _Compiled.of(build())
            kept[key] = compiled
            if len(kept) > self.size:
                kept.popitem(last=False)
        else:
            kept.move_to_end(key)
        return compiled


@dataclass(frozen=True)
class _Compiled:
    sql: str
    params: tuple[Any, ...]
    compiler: SQLCompiler
    converters: dict[int, Any]

    @classmethod
    def of(cls, queryset: QuerySet[Any, Any]) -> _Compiled:
        if queryset.db != DEFAULT_DB_ALIAS:
            raise ValueError("CompiledQueries keeps queries of the default database only")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        fields = [column[0] for column in compiler.select[: compiler.col_count]]
        return cls(sql, tuple(params), compiler, compiler.get_converters(fields))

    def run(self) -> list[Any]:
        with self.compiler.connection.cursor() as cursor:
            cursor.execute(self.sql, self.params)
            rows = cursor.fetchall()
        if not self.converters:
            return [tuple(row) for row in rows]
        return [tuple(row) for row in self.compiler.apply_converters(rows, self.converters)]


def run_sql(
    sql: str, params: Sequence[Any], fields: Sequence[Field[Any, Any] | None]
) -> list[tuple[Any, ...]]:
    """The rows of SQL written by hand (on the default database), each value through the
    converters the ORM applies to a column of its field in `fields` (one per column;
    None: as the driver gives it), so dates, moments and booleans come back as the ORM
    returns them on every backend."""
    connection = connections[DEFAULT_DB_ALIAS]
    columns = [None if field is None else Value(None, output_field=field) for field in fields]
    convert = [
        ()
        if column is None
        else tuple(
            connection.ops.get_db_converters(column)
            + column.output_field.get_db_converters(connection)
        )
        for column in columns
    ]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if not any(convert):
        return [tuple(row) for row in rows]
    converted = []
    for row in rows:
        values = list(row)
        for index, converters in enumerate(convert):
            for converter in converters:
                values[index] = converter(values[index], columns[index], connection)
        converted.append(tuple(values))
    return converted


class WrittenTrue(Value):
    """TRUE written into the statement's text (`1` on SQLite, as its schema editor
    writes it), not bound as a parameter. For conditions a partial index repeats: when a
    bound value decides whether SQLite may use a partial index, it marks the statement
    to be planned again whenever that parameter is bound, i.e. at every execution —
    parsing and planning a statement as large as the patient list's cost more than
    reading a hundred patients. Written out, the plan is made once per statement text."""

    def __init__(self) -> None:
        super().__init__(True, output_field=BooleanField())

    def as_sql(
        self, compiler: Any, connection: BaseDatabaseWrapper
    ) -> tuple[str, tuple[str | int, ...]]:
        return ("1" if connection.vendor == "sqlite" else "TRUE"), ()


class JoinedText(Func):
    """Texts end to end, written flat (`a || b || c`; CONCAT(a, b, c) on PostgreSQL).
    Django's Concat nests a pair per part, and SQLite's parser, whose stack is small,
    refuses a statement with a dozen of them (parser stack overflow). The parts must not
    be NULL (SQLite's `||` would make the whole NULL)."""

    template = "(%(expressions)s)"
    arg_joiner = " || "
    output_field = TextField()

    def as_postgresql(
        self, compiler: Any, connection: BaseDatabaseWrapper, **extra: Any
    ) -> tuple[str, Sequence[Any]]:
        return self.as_sql(
            compiler, connection, template="CONCAT(%(expressions)s)", arg_joiner=", ", **extra
        )
