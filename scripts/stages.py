"""`make test`'s stages, run side by side so both cores stay busy, each stage's output kept.

    python scripts/stages.py --lane 'NAME: COMMAND' 'NAME (after OTHER): COMMAND' ... --lane ...

Each `--lane` is a row of stages run one after another; the lanes run at the same time. A
stage named `(after OTHER)` also waits until stage OTHER has passed (and does not run if it
failed). Every stage runs in its own process group, its output going to build/test-logs/
<name>.log; the terminal shows one line as each stage starts and ends, the whole output of
each failed stage as soon as it fails, and a table of every stage's wall time and CPU time
at the end. The exit status is 1 when any stage failed or could not run, so no stage can
hide another's failure; the stages after a failure still run (a lane keeps going), so one
run shows every failure.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import signal
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

LOGS = Path(__file__).resolve().parent.parent / "build" / "test-logs"
SPEC = re.compile(r"^(?P<name>[^:()]+?)\s*(?:\(after (?P<after>[^)]+)\))?:\s*(?P<command>.+)$")


@dataclass
class Stage:
    name: str
    command: str
    after: list[str]
    log: Path
    done: threading.Event = field(default_factory=threading.Event)
    status: str = "waiting"  # waiting, running, passed, failed, not-run
    returncode: int | None = None
    wall: float = 0.0
    cpu: float = 0.0

    @property
    def passed(self) -> bool:
        return self.status == "passed"


def parse(lanes: list[list[str]], logs: Path = LOGS) -> list[list[Stage]]:
    parsed = []
    for lane in lanes:
        stages = []
        for spec in lane:
            match = SPEC.match(spec.strip())
            if not match:
                raise SystemExit(f"stages.py: cannot read {spec!r} (want 'NAME: COMMAND')")
            name = match["name"].strip()
            after = [a.strip() for a in (match["after"] or "").split(",") if a.strip()]
            slug = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")
            stages.append(Stage(name, match["command"], after, logs / f"{slug}.log"))
        parsed.append(stages)
    names = [stage.name for lane in parsed for stage in lane]
    for stage in (s for lane in parsed for s in lane):
        unknown = set(stage.after) - set(names)
        if unknown:
            raise SystemExit(f"stages.py: {stage.name!r} waits for unknown {sorted(unknown)}")
    return parsed


class Run:
    def __init__(self, lanes: list[list[Stage]], logs: Path) -> None:
        self.lanes = lanes
        self.logs = logs
        self.by_name = {stage.name: stage for lane in lanes for stage in lane}
        self.printing = threading.Lock()
        self.groups: set[int] = set()
        self.started = time.monotonic()

    def say(self, text: str) -> None:
        with self.printing:
            elapsed = time.monotonic() - self.started
            print(f"[{minutes(elapsed)}] {text}", flush=True)

    def lane(self, stages: list[Stage]) -> None:
        for stage in stages:
            try:
                self.stage(stage)
            finally:
                stage.done.set()

    def stage(self, stage: Stage) -> None:
        for name in stage.after:
            needed = self.by_name[name]
            needed.done.wait()
            if not needed.passed:
                stage.status = "not-run"
                self.say(f"NOT RUN {stage.name}: it needs {name}, which did not pass")
                return
        stage.status = "running"
        self.say(f"start   {stage.name}: {stage.command}")
        began = time.monotonic()
        with stage.log.open("wb") as out:
            process = subprocess.Popen(
                ["/bin/sh", "-c", stage.command],
                stdout=out,
                stderr=subprocess.STDOUT,
                stdin=subprocess.DEVNULL,
                start_new_session=True,
            )
            self.groups.add(process.pid)
            # wait4: the CPU time of the stage's whole process tree (every child it waited
            # for), not only of the shell. A server it daemonized (PostgreSQL) is not in it.
            _, status, usage = os.wait4(process.pid, 0)
            process.returncode = os.waitstatus_to_exitcode(status)
            self.groups.discard(process.pid)
        stage.wall = time.monotonic() - began
        stage.cpu = usage.ru_utime + usage.ru_stime
        stage.returncode = process.returncode
        figures = f"{minutes(stage.wall)} wall, {stage.cpu:.0f} CPU-s"
        if process.returncode == 0:
            stage.status = "passed"
            self.say(f"passed  {stage.name} ({figures}): {last_line(stage.log)}")
        else:
            stage.status = "failed"
            with self.printing:
                print(f"\n{'=' * 30} FAILED {stage.name} (exit {process.returncode}, {figures})")
                print(f"{'=' * 30} its whole output ({stage.log}):", flush=True)
                sys.stdout.write(stage.log.read_text(errors="replace"))
                print(f"{'=' * 30} end of {stage.name}\n", flush=True)

    def stop(self) -> None:
        for group in list(self.groups):
            with contextlib.suppress(ProcessLookupError):
                os.killpg(group, signal.SIGTERM)

    def summary(self) -> bool:
        stages = list(self.by_name.values())
        width = max(len(stage.name) for stage in stages)
        print(f"\n{'stage'.ljust(width)}  result    wall      CPU-s")
        for stage in stages:
            print(
                f"{stage.name.ljust(width)}  {stage.status.ljust(8)}  "
                f"{minutes(stage.wall).rjust(6)}  {stage.cpu:7.0f}"
            )
        total = sum(stage.cpu for stage in stages)
        print(
            f"{'all'.ljust(width)}  {'':8}  {minutes(time.monotonic() - self.started).rjust(6)}"
            f"  {total:7.0f}  (logs in {self.logs})"
        )
        failed = [stage.name for stage in stages if not stage.passed]
        if failed:
            print(f"make test FAILED: {', '.join(failed)}", flush=True)
        return not failed


def _interrupted(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def minutes(seconds: float) -> str:
    return f"{int(seconds // 60)}:{seconds % 60:04.1f}"


def last_line(log: Path) -> str:
    lines = [line.strip() for line in log.read_text(errors="replace").splitlines()]
    return next((line for line in reversed(lines) if line), "(no output)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lane", nargs="+", action="append", required=True, metavar="STAGE")
    parser.add_argument("--logs", type=Path, default=LOGS, help="where each stage's log goes")
    args = parser.parse_args(argv)
    lanes = parse(args.lane, args.logs)
    args.logs.mkdir(parents=True, exist_ok=True)
    run = Run(lanes, args.logs)
    # Stopped from outside (make killed, CI cancelled): stop every stage's processes too.
    signal.signal(signal.SIGTERM, _interrupted)
    signal.signal(signal.SIGHUP, _interrupted)
    threads = [threading.Thread(target=run.lane, args=(lane,), daemon=True) for lane in lanes]
    for thread in threads:
        thread.start()
    try:
        for thread in threads:
            while thread.is_alive():
                thread.join(timeout=0.5)
    except KeyboardInterrupt:
        run.stop()
        print("\nmake test: interrupted", flush=True)
        return 130
    return 0 if run.summary() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
