from __future__ import annotations

from pathlib import Path

import pytest

from footing.errors import NotFound
from library import selectors
from tests.factories import condition_data, exercise_data, load, routine_data, write_content

pytestmark = pytest.mark.django_db


@pytest.fixture
def two_conditions(tmp_path: Path) -> None:
    load(
        write_content(
            tmp_path,
            conditions=[condition_data(), condition_data("calf-ache", order=2, doctor_first=True)],
            exercises=[
                exercise_data(),
                exercise_data("ice", goal="pain-management", conditions=[]),
            ],
            routines=[routine_data()],
        )
    )


def test_exercises_filter_by_goal_and_condition(two_conditions: None) -> None:
    assert [e.slug for e in selectors.exercise_list(goal="pain-management")] == ["ice"]
    assert [e.slug for e in selectors.exercise_list(condition="heel-pain")] == ["calf-raise"]
    assert len(selectors.exercise_list()) == 2


def test_an_unknown_goal_is_not_found(two_conditions: None) -> None:
    with pytest.raises(NotFound):
        selectors.exercise_list(goal="speed")


def test_the_current_version_is_the_published_one(two_conditions: None) -> None:
    version = selectors.routine_version_get(slug="heel-routine")

    assert version.number == 1
    assert selectors.routine_version_get(slug="heel-routine", number=1) == version
    with pytest.raises(NotFound, match="No version 2"):
        selectors.routine_version_get(slug="heel-routine", number=2)


def test_unknown_slugs_are_not_found(two_conditions: None) -> None:
    for call in (
        lambda: selectors.condition_get(slug="nope"),
        lambda: selectors.exercise_get(slug="nope"),
        lambda: selectors.routine_version_get(slug="nope"),
    ):
        with pytest.raises(NotFound):
            call()


def test_routines_using_an_exercise(two_conditions: None) -> None:
    exercise = selectors.exercise_get(slug="calf-raise")

    assert [r.slug for r in selectors.routines_using(exercise=exercise)] == ["heel-routine"]
