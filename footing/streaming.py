"""Documents written out piece by piece, so a download of any size starts at once and
never sits whole in memory: JSON of named sections, CSV of rows."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable, Iterator
from typing import Any


def json_chunks(sections: Iterable[tuple[str, Any]]) -> Iterator[str]:
    """One JSON object, a member per section; a section given as an iterator is written
    as a list, one item at a time (the same JSON `json.dumps` would make of the whole)."""
    yield "{"
    for index, (name, value) in enumerate(sections):
        yield ("," if index else "") + f"\n  {json.dumps(name)}: "
        if isinstance(value, Iterator):
            yield from _list_chunks(value)
        else:
            yield _indented(value)
    yield "\n}\n"


def _list_chunks(items: Iterator[Any]) -> Iterator[str]:
    empty = True
    for item in items:
        yield ("[" if empty else ",") + "\n    " + _indented(item, depth=2)
        empty = False
    yield "[]" if empty else "\n  ]"


def _indented(value: Any, *, depth: int = 1) -> str:
    text = json.dumps(value, indent=2, ensure_ascii=False)
    return text.replace("\n", "\n" + "  " * depth)


class _Line:
    """What csv.writer writes to: hands each line back instead of keeping it."""

    def write(self, line: str) -> str:
        return line


def csv_chunks(columns: list[str], rows: Iterable[dict[str, Any]]) -> Iterator[str]:
    writer = csv.DictWriter(_Line(), fieldnames=columns, extrasaction="ignore")
    yield str(writer.writeheader())
    for row in rows:
        yield str(writer.writerow(row))
