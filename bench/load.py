"""Server speed under load, beside a static file from the same server in the same run.

wrk (2 threads, 16 connections) against gunicorn (2 workers x 4 threads). The machine's
cores are shared by the client, the server and whatever else runs, so a request rate
means little on its own and nothing across runs; what is reported is each target's rate
divided by the static file's rate measured just before and just after it (`measure`):
a drift of the machine's speed moves both sides of the ratio alike. Targets are measured
in rounds, each round in a rotated order, after a warm-up pass that is thrown away; the
median ratio over the rounds is the figure, reported with its spread, so a burst of other
work on the machine moves one round, not the figure. The static file is checked to come
from the same gunicorn and middleware as the targets (`served_alike`).

`bench/baseline.json` holds the ratios before issue 19 (persistent connections, kept
content answers, the lean check-in write); the report shows the gain against them.
"""

from __future__ import annotations

import json
import os
import re
import statistics
import subprocess
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote

ROOT = Path(__file__).resolve().parent.parent
BASELINE = ROOT / "bench" / "baseline.json"
WRK_LINE = re.compile(r"^\s+(50|99)(?:\.000)?%\s+([\d.]+)(us|ms|s)\s*$", re.M)
STATIC = "static file"
CHECKIN_CLIENT_ID = "6f1c1f8e-8f0e-4a53-9a5e-3f4d2b7c9a10"
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


def checkin_body(day: str) -> str:
    """A whole morning's check-in as the phone's form sends it (static/js/checkin.js): every
    field it writes, a run with pain during and after, a location, no warning signs, the
    moment it was answered. The same client id each time, so after the first request each
    is the upsert's replay, as an outbox retrying on a poor signal sends it."""
    return json.dumps(
        {
            "client_id": CHECKIN_CLIENT_ID,
            "date": day,
            "first_step_pain": 3,
            "locations": ["heel-centre", "arch"],
            "stiffness_minutes": 10,
            "activity": "run",
            "distance_km": 6.5,
            "pain_during": 2,
            "pain_after": 3,
            "walking_pain_free": True,
            "red_flags": [],
            "answered_at": f"{day}T06:45:12.345Z",
        }
    )


def checkin_script(path: Path, *, base: str, cookies: dict[str, str]) -> Path:
    """A check-in POST as the phone's outbox sends it (static/js/outbox.js): the cookies
    its log-in left (session, CSRF, owner), the CSRF and owner headers, a whole morning's
    answers (`checkin_body`)."""
    body = checkin_body(datetime.now(UTC).date().isoformat())
    cookie = "; ".join(f"{name}={value}" for name, value in cookies.items())
    owner = unquote(cookies["footing_owner"]).partition(":")[0]
    path.write_text(
        'wrk.method = "POST"\n'
        f"wrk.body = {json.dumps(body)}\n"
        'wrk.headers["Content-Type"] = "application/json"\n'
        'wrk.headers["Accept"] = "application/json"\n'
        f'wrk.headers["Cookie"] = {json.dumps(cookie)}\n'
        f'wrk.headers["X-CSRFToken"] = "{cookies["csrftoken"]}"\n'
        f'wrk.headers["X-Footing-Owner"] = "{owner}"\n'
        f'wrk.headers["Referer"] = "{base}/checkin/"\n'
    )
    return path


Wrk = Callable[[str, Target, int], dict[str, float]]


def measure(
    base: str,
    targets: list[Target],
    *,
    seconds: int,
    rounds: int,
    warmup_seconds: int = 1,
    run: Wrk | None = None,
) -> dict[str, dict[str, Any]]:
    """Each target `rounds` times, each run between two runs of the static file.

    One round is S T1 S T2 ... Tn S (the order of the Ts rotated each round): a target's
    ratio is its rate over the mean of the static runs just before and just after it, so
    whatever else the machine does moves both sides of a ratio, not one. A first pass of
    every target (and the static file) warms the server up and is thrown away. Reported:
    the median ratio over the rounds, its quartiles and extremes, and the median rates.
    """
    wrk_run: Wrk = run or (lambda url, target, secs: wrk(url, seconds=secs, target=target))
    static = next(target for target in targets if target.name == STATIC)
    others = [target for target in targets if target.name != STATIC]
    for target in [static, *others]:
        wrk_run(base + target.path, target, warmup_seconds)
    runs: dict[str, list[dict[str, float]]] = {target.name: [] for target in targets}
    ratios: dict[str, list[float]] = {target.name: [] for target in targets}
    for round_number in range(rounds):
        shift = round_number % len(others)
        before = wrk_run(base + static.path, static, seconds)
        runs[STATIC].append(before)
        for target in others[shift:] + others[:shift]:
            result = wrk_run(base + target.path, target, seconds)
            after = wrk_run(base + static.path, static, seconds)
            runs[target.name].append(result)
            runs[STATIC].append(after)
            beside = (before["requests_per_second"] + after["requests_per_second"]) / 2
            ratios[target.name].append(result["requests_per_second"] / beside)
            before = after
    # The static file beside itself: how far two neighbouring runs of it differ.
    statics = [row["requests_per_second"] for row in runs[STATIC]]
    ratios[STATIC] = [
        now / ((previous + following) / 2)
        for previous, now, following in zip(statics, statics[1:], statics[2:], strict=False)
    ] or [1.0]
    return {
        target.name: summary(target, runs[target.name], ratios[target.name]) for target in targets
    }


def summary(target: Target, rows: list[dict[str, float]], ratios: list[float]) -> dict[str, Any]:
    ordered = sorted(ratios)
    quartiles = statistics.quantiles(ordered, n=4) if len(ordered) > 1 else ordered * 3
    return {
        "path": target.path,
        "requests_per_second": round(_median(rows, "requests_per_second"), 1),
        "p50_ms": round(_median(rows, "p50_ms"), 2),
        "p99_ms": round(_median(rows, "p99_ms"), 2),
        "non_2xx": int(sum(row["non_2xx"] for row in rows)),
        "ratio_to_static": round(statistics.median(ordered), 2),
        "ratio_quartiles": [round(quartiles[0], 2), round(quartiles[-1], 2)],
        "ratio_range": [round(ordered[0], 2), round(ordered[-1], 2)],
        "ratios": [round(ratio, 2) for ratio in ratios],
    }


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
    targets = results["targets"]
    rounds = len(next(row for name, row in targets.items() if name != STATIC)["ratios"])
    lines = [
        f"| load (wrk 2 threads × 16 connections; {rounds} rounds, each run between two "
        "runs of the static file) | req/s | p50 | p99 | ÷ static (median) | middle half "
        "| all rounds | aim | before issue 19 |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    found_gains = results.get("gains", {})
    for name, row in targets.items():
        label = f"{name} ({static_bytes} B)" if name == STATIC else name
        aim = f"≥ {AIMS[name]}" if name in AIMS else ""
        gain = found_gains.get(name)
        before = f"{gain['before']} → {gain['gain']}×" if gain else ""
        low, high = row["ratio_quartiles"]
        least, most = row["ratio_range"]
        lines.append(
            f"| {label} | {row['requests_per_second']:.0f} | {row['p50_ms']} ms | "
            f"{row['p99_ms']} ms | {row['ratio_to_static']:.2f} | {low:.2f}–{high:.2f} "
            f"| {least:.2f}–{most:.2f} | {aim} | {before} |"
        )
    load = results.get("load_average")
    return [
        *lines,
        "",
        "Rates are only comparable within one run (the 2 cores are shared by wrk, gunicorn "
        "and anything else running): the ratios are the figures. The static file's row is "
        "each of its runs over its two neighbours: how steady the machine was."
        + (f" Load average {load[0]:.2f} before, {load[1]:.2f} after." if load else "")
        + f" Baseline: {json.loads(BASELINE.read_text())['source']}",
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
    served_alike(base, static_path, api)
    started = os.getloadavg()[0]
    results: dict[str, Any] = {"targets": measure(base, targets, seconds=seconds, rounds=rounds)}
    results["load_average"] = [round(started, 2), round(os.getloadavg()[0], 2)]
    results["gains"] = gains(results["targets"])
    return results


def served_alike(base: str, static_path: str, target_path: str) -> None:
    """The static file must come from the very server the targets do, through the same
    gunicorn and the same Django middleware (WhiteNoise sits in it): else its rate is no
    ceiling for theirs. Both answers carry the same Server header and the headers only
    Footing's middleware adds."""
    seen = []
    for path in (static_path, target_path):
        with urllib.request.urlopen(base + path, timeout=10) as answer:
            seen.append((answer.status, answer.headers.get("Server"), answer.headers))
    (static_status, static_server, static_headers), (_, server, _) = seen
    stack = ("Permissions-Policy", "X-Content-Type-Options", "Cross-Origin-Opener-Policy")
    missing = [name for name in stack if name not in static_headers]
    if static_status != 200 or static_server != server or missing:
        raise RuntimeError(
            f"{static_path} is not served like the targets: status {static_status}, "
            f"server {static_server!r} vs {server!r}, missing {missing}"
        )
