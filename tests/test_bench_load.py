"""bench/load.py's figure is each target's rate over the static file's measured around
it: a machine whose speed drifts, or a burst of other work, must not move the median."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from bench.load import STATIC, Target, measure

TARGETS = [Target(name, f"/{name}") for name in ("page", "api", "post")] + [
    Target(STATIC, "/static")
]


def machine(ratios: dict[str, float], speed_of_run):
    """A fake wrk: each run's rate is the target's own rate times the machine's speed."""
    runs = []

    def run(url: str, target: Target, seconds: int) -> dict[str, float]:
        runs.append(target.name)
        rate = 1000 * (1.0 if target.name == STATIC else ratios[target.name])
        return {"requests_per_second": rate * speed_of_run(len(runs) - 1), "non_2xx": 0}

    return run, runs


ratios = st.fixed_dictionaries({name: st.floats(0.05, 3.0) for name in ("page", "api", "post")})


@given(true=ratios, start=st.floats(0.3, 1.0), slope=st.floats(-0.005, 0.005))
def test_a_steady_drift_of_the_machine_leaves_every_ratio_exact(true, start, slope) -> None:
    run, _ = machine(true, lambda n: start + slope * n)
    found = measure("", TARGETS, seconds=1, rounds=5, run=run)
    for name, ratio in true.items():
        assert abs(found[name]["ratio_to_static"] - ratio) <= 0.01 + 0.01 * ratio


@given(true=ratios, burst=st.integers(0, 60), slowdown=st.floats(0.2, 0.8))
def test_a_burst_of_other_work_moves_one_round_not_the_median(true, burst, slowdown) -> None:
    run, _ = machine(true, lambda n: slowdown if n == burst else 1.0)
    found = measure("", TARGETS, seconds=1, rounds=5, run=run)
    for name, ratio in true.items():
        assert abs(found[name]["ratio_to_static"] - ratio) <= 0.01 + 0.01 * ratio
        assert found[name]["ratio_range"][0] <= found[name]["ratio_to_static"]
        assert found[name]["ratio_to_static"] <= found[name]["ratio_range"][1]


def test_warm_up_runs_are_thrown_away_and_every_target_sits_between_two_static_runs() -> None:
    run, runs = machine({"page": 1.0, "api": 1.0, "post": 1.0}, lambda n: 1.0)
    measure("", TARGETS, seconds=1, rounds=2, run=run)
    warm_up, measured = runs[:4], runs[4:]
    assert sorted(warm_up) == sorted(t.name for t in TARGETS)
    for index, name in enumerate(measured):
        if name != STATIC:
            assert measured[index - 1] == STATIC and measured[index + 1] == STATIC
    # Each round visits every target once, in a rotated order.
    targets_only = [name for name in measured if name != STATIC]
    assert targets_only[:3] != targets_only[3:]
    assert sorted(targets_only[:3]) == sorted(targets_only[3:])
