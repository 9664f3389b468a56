"""Server speed under load, beside a static file from the same server in the same run.

wrk (2 threads, 16 connections) against gunicorn (2 workers x 4 threads). The machine's
cores are shared by the client, the server and whatever else runs, so a request rate
means little on its own and nothing across runs; what is reported is each target's rate
divided by the static file's rate *in the same round*. Targets are measured in rounds,
each round in a rotated order, and the median round is reported, so a burst of other
work on the machine moves one round, not the figure.

`bench/baseline.json` holds the ratios before issue 19 (persistent connections, kept
content answers, the lean check-in write); the report shows the gain against them.
"""

from __future__ import annotations

import json
import re
import statistics
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline.json"
WRK_LINE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
STATIC = "static file"
# What the issue aims at, as a share of the static file's rate.
AIMS = {
    "routine page": 0.8,
    "routine API": 0.8,
    "304 revalidation": 0.9,
    "check-in POST": 0.25,
}


@dataclass(frozen=True)
class Target:
    name: str
    path: str
    headers: tuple[str, ...] = ()
    script: Path | None = None


def wrk(url: str, *, seconds: int, target: Target) -> dict[str, float]:
    command = ["wrk", "-t2", "-c16", f"-d{seconds}s", "--latency"]
    for header in target.headers:
        command += ["-H", header]
    if target.script:
        command += ["-s", str(target.script)]
    output = subprocess.run([*command, url], check=True, capture_output=True, text=True).stdout
    unit = {"us": 0.001, "ms": 1.0, "s": 1000.0}
    latency = {f"p{p}_ms": round(float(v) * unit[u], 2) for p, v, u in WRK_LINE.findall(output)}
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))  # type: ignore[union-attr]
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {
        "requests_per_second": rps,
        **latency,
        "non_2xx": int(errors.group(1)) if errors else 0,
    }


def checkin_script(path: Path, *, base: str, session: str, csrf: str) -> Path:
    """A check-in POST as the phone's outbox sends it (one runner, replayed: the upsert)."""
    body = json.dumps(
        {
            "client_id": "6f1c1f8e-8f0e-4a53-9a5e-3f4d2b7c9a10",
            "date": datetime.now(UTC).date().isoformat(),
            "first_step_pain": 3,
        }
    )
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        f'wrk.headers["Cookie"] = "sessionid={session}; csrftoken={csrf}"\n'
        f'wrk.headers["X-CSRFToken"] = "{csrf}"\n'
        f'wrk.headers["Referer"] = "{base}/checkin/"\n'
    )
    return path


def measure(
    base: str, targets: list[Target], *, seconds: int, rounds: int
) -> dict[str, dict[str, Any]]:
    """Each target `rounds` times, interleaved; the median round of each, and its ratio."""
    runs: dict[str, list[dict[str, float]]] = {target.name: [] for target in targets}
    ratios: dict[str, list[float]] = {target.name: [] for target in targets}
    for round_number in range(rounds):
        shift = round_number % len(targets)
        this_round = {}
        for target in targets[shift:] + targets[:shift]:
            this_round[target.name] = wrk(base + target.path, seconds=seconds, target=target)
            runs[target.name].append(this_round[target.name])
        static = this_round[STATIC]["requests_per_second"]
        for name, result in this_round.items():
            ratios[name].append(result["requests_per_second"] / static)
    results = {}
    for target in targets:
        rows = runs[target.name]
        results[target.name] = {
            "path": target.path,
            "requests_per_second": round(_median(rows, "requests_per_second"), 1),
            "p50_ms": round(_median(rows, "p50_ms"), 2),
            "p99_ms": round(_median(rows, "p99_ms"), 2),
            "non_2xx": int(sum(row["non_2xx"] for row in rows)),
            "ratio_to_static": round(statistics.median(ratios[target.name]), 2),
            "ratios": [round(ratio, 2) for ratio in ratios[target.name]],
        }
    return results


def _median(rows: list[dict[str, float]], key: str) -> float:
    return statistics.median(row.get(key, 0.0) for row in rows)


def gains(results: dict[str, dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Each target's ratio now against the ratio before issue 19 (bench/baseline.json)."""
    baseline = json.loads(BASELINE.read_text())
    found = {}
    for name, before in baseline["ratios"].items():
        if name in results and before:
            now = results[name]["ratio_to_static"]
            found[name] = {"before": before, "now": now, "gain": round(now / before, 1)}
    return found


def markdown(results: dict[str, Any], static_bytes: int) -> list[str]:
    lines = [
        "| load (wrk 2 threads × 16 connections, median of "
        f"{len(next(iter(results['targets'].values()))['ratios'])} rounds) "
        "| req/s | p50 | p99 | ÷ static | aim | before issue 19 |",
        "|---|---|---|---|---|---|---|",
    ]
    found_gains = results.get("gains", {})
    for name, row in results["targets"].items():
        label = f"{name} ({static_bytes} B)" if name == STATIC else name
        aim = f"≥ {AIMS[name]}" if name in AIMS else ""
        gain = found_gains.get(name)
        before = f"{gain['before']} → {gain['gain']}×" if gain else ""
        lines.append(
            f"| {label} | {row['requests_per_second']:.0f} | {row['p50_ms']} ms | "
            f"{row['p99_ms']} ms | {row['ratio_to_static']:.2f} | {aim} | {before} |"
        )
    return [
        *lines,
        "",
        "Rates are only comparable within one run (the 2 cores are shared by wrk, gunicorn "
        "and anything else running): the ratios are the figures. "
        f"Baseline: {json.loads(BASELINE.read_text())['source']}",
    ]


def throughput(
    base: str,
    *,
    routine: str,
    static_path: str,
    etag_of: Callable[[str], str],
    checkin: Path,
    seconds: int,
    rounds: int,
) -> dict[str, Any]:
    api = f"/api/v1/routines/{routine}"
    targets = [
        Target("routine page", f"/routines/{routine}/"),
        Target("routine API", api),
        Target("exercise list", "/exercises/"),
        Target("304 revalidation", api, headers=(f"If-None-Match: {etag_of(api)}",)),
        Target("check-in POST", "/api/v1/checkins", script=checkin),
        Target(STATIC, static_path),
    ]
    results: dict[str, Any] = {"targets": measure(base, targets, seconds=seconds, rounds=rounds)}
    results["gains"] = gains(results["targets"])
    return results
