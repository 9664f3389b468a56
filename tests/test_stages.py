"""`make test`'s stages side by side (scripts/stages.py): no stage hides another's failure.

Each run here is the real runner in its own process with small shell commands for stages,
so what is checked is what `make test` does: its exit status, what it prints, its logs.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from django.conf import settings

STAGES = Path(settings.BASE_DIR) / "scripts" / "stages.py"


def stages(tmp_path: Path, *lanes: list[str]) -> subprocess.CompletedProcess[str]:
    words = [sys.executable, str(STAGES), "--logs", str(tmp_path)]
    for lane in lanes:
        words += ["--lane", *lane]
    return subprocess.run(words, capture_output=True, text=True, timeout=60, check=False)


def results(run: subprocess.CompletedProcess[str]) -> dict[str, str]:
    """The summary table: each stage's name and result."""
    table = run.stdout.split("\nstage ", 1)[1].splitlines()[1:]
    rows = [line.rsplit(None, 3) for line in table if not line.startswith(("all ", "make test"))]
    return {row[0].rstrip(): row[1] for row in rows if len(row) == 4}


def test_every_stage_passing_passes(tmp_path: Path) -> None:
    run = stages(tmp_path, ["one: echo first"], ["two: echo second", "three: echo 3 passed"])

    assert run.returncode == 0, run.stdout + run.stderr
    assert results(run) == {"one": "passed", "two": "passed", "three": "passed"}
    assert "passed  three" in run.stdout and "3 passed" in run.stdout  # the stage's last line
    assert (tmp_path / "one.log").read_text() == "first\n"


def test_a_failure_in_any_one_stage_fails_the_run_and_shows_its_whole_output(
    tmp_path: Path,
) -> None:
    lanes = [["a: echo a ok"], ["b: echo b ok", "c: echo c ok"]]
    for lane, position in ((0, 0), (1, 0), (1, 1)):
        failing = [list(lane_) for lane_ in lanes]
        name = failing[lane][position].split(":")[0]
        failing[lane][position] = f"{name}: echo the reason {name} broke; echo more; exit 3"

        run = stages(tmp_path, *failing)

        assert run.returncode == 1, run.stdout
        assert results(run)[name] == "failed"
        assert [n for n, r in results(run).items() if r != "passed"] == [name]
        assert f"FAILED {name} (exit 3" in run.stdout
        assert f"the reason {name} broke\nmore\n" in run.stdout
        assert f"make test FAILED: {name}" in run.stdout


def test_a_lane_carries_on_after_a_failure_and_the_other_lanes_finish(tmp_path: Path) -> None:
    run = stages(tmp_path, ["early: exit 1", "later: echo later ran"], ["other: echo other ran"])

    assert run.returncode == 1
    assert results(run) == {"early": "failed", "later": "passed", "other": "passed"}
    assert "make test FAILED: early" in run.stdout


def test_a_stage_waits_for_the_one_it_needs_and_does_not_run_if_that_failed(
    tmp_path: Path,
) -> None:
    marker = tmp_path / "started"
    waited = stages(
        tmp_path,
        # A stage that takes a moment (a shell's sleep stands for a slow stage here; the
        # test itself waits only for the runner to end).
        [f"server: sleep 0.3 && touch {marker}"],
        [f"client (after server): test -e {marker} && echo found it"],
    )
    assert waited.returncode == 0, waited.stdout
    assert results(waited) == {"server": "passed", "client": "passed"}

    run = stages(tmp_path, ["server: exit 2"], ["client (after server): echo must not run"])

    assert run.returncode == 1
    assert results(run) == {"server": "failed", "client": "not-run"}
    assert "must not run" not in run.stdout
    assert "NOT RUN client: it needs server" in run.stdout
    assert "make test FAILED: server, client" in run.stdout
