"""bench.profile's `--inside`: the time inside a named function, its calls, put back after."""

from __future__ import annotations

import sys
import types
from collections.abc import Iterator

import pytest

from bench import profile
from bench.profile import Inside


@pytest.fixture
def module() -> Iterator[types.ModuleType]:
    made = types.ModuleType("inside_example")

    def countdown(n: int) -> int:
        return 0 if n == 0 else 1 + made.countdown(n - 1)  # looked up as the app would

    class Thing:
        def method(self, x: int) -> int:
            return x + 1

        @staticmethod
        def static(x: int) -> int:
            return x * 2

        @classmethod
        def named(cls, x: int) -> str:
            return f"{cls.__name__}{x}"

    class Kind(Thing):
        pass

    made.countdown = countdown  # type: ignore[attr-defined]
    made.Thing = Thing  # type: ignore[attr-defined]
    made.Kind = Kind  # type: ignore[attr-defined]
    sys.modules[made.__name__] = made
    yield made
    del sys.modules[made.__name__]


def test_calls_are_counted_and_a_call_inside_itself_is_timed_once(
    module: types.ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    ticks = iter(range(0, 10_000_000, 1000))  # each reading of the clock: 1 µs later
    monkeypatch.setattr(profile, "CLOCK", lambda: next(ticks))
    watched = Inside("inside_example:countdown")

    assert module.countdown(3) == 3

    # Four calls (3, 2, 1, 0); the clock read twice, by the outermost call only.
    assert watched.take() == (1.0, 4)
    assert watched.take() == (0.0, 0)  # taken: the next request starts from nothing


def test_methods_static_and_class_methods_still_work_while_watched(
    module: types.ModuleType,
) -> None:
    watches = [Inside(f"inside_example:Thing.{name}") for name in ("method", "static", "named")]

    thing = module.Thing()
    assert (thing.method(1), thing.static(2), module.Thing.static(3), thing.named(4)) == (
        2,
        4,
        6,
        "Thing4",
    )
    assert [watched.take()[1] for watched in watches] == [1, 2, 1]

    for watched in watches:
        watched.restore()
    assert isinstance(module.Thing.__dict__["static"], staticmethod)
    assert isinstance(module.Thing.__dict__["named"], classmethod)
    assert module.Thing.__dict__["method"].__name__ == "method"
    assert not hasattr(module.Thing.__dict__["method"], "__wrapped__")


def test_an_inherited_method_is_watched_on_the_class_named_and_put_back(
    module: types.ModuleType,
) -> None:
    watched = Inside("inside_example:Kind.method")

    assert (module.Kind().method(1), module.Thing().method(1)) == (2, 2)
    assert watched.take()[1] == 1  # the subclass's calls only

    watched.restore()
    assert "method" not in module.Kind.__dict__


def test_a_name_that_is_not_module_and_function_is_refused() -> None:
    with pytest.raises(ValueError, match="module:function"):
        Inside("journal.services")
    with pytest.raises(AttributeError):
        Inside("journal.services:no_such_function")
