"""Each index earns its keep: none repeats what a wider one starting with the same column
already gives (a redundant index costs every write and buys no read)."""

from __future__ import annotations

import pytest
from django.db import connection

from journal.models import CheckIn
from training.models import SessionLog


def _indexes(table: str) -> list[list[str]]:
    with connection.cursor() as cursor:
        found = connection.introspection.get_constraints(cursor, table)
    return [spec["columns"] for spec in found.values() if spec["index"] or spec["unique"]]


@pytest.mark.django_db
@pytest.mark.parametrize("model", [CheckIn, SessionLog])
def test_no_index_on_the_user_alone(model) -> None:
    indexes = _indexes(model._meta.db_table)
    assert ["user_id"] not in indexes
    # ...because a wider index still starts with it: reads by person stay indexed.
    assert any(columns[0] == "user_id" and len(columns) > 1 for columns in indexes), indexes
