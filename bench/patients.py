"""The clinic's patient list at 10, 100 and 1,000 patients (issue 16), for `make bench`.

Each size is its own clinic in one database (90 days of check-ins per patient, seeded by
bench/patients_seed.py). For each, its clinician's list page and the list API are
fetched one at a time, as a clinician would, and the p50 and p90 of the server's answer
are kept, with the 1,000 ÷ 10 ratio (the aim is ≤ 1.5: the list answers as fast for a
thousand patients as for ten) and the page's HTML gzip size (budget 14 KB).
Returns its section of results (with its own "over_budget") and writes bench/patients.md.
"""

from __future__ import annotations

import gzip
import os
import re
import statistics
import subprocess
import time
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
SIZES = (10, 100, 1000)
PASSWORD = "bench-clinician-password"  # bench/patients_seed.py
RUNS = 40
WARM = 5
PATHS = {"page": "/clinic/", "API": "/api/v1/clinic/patients"}
HTML_BUDGET = 14 * 1024


def seed(workdir: Path) -> None:
    """Into the running bench server's database (bench/run.py keeps it in `workdir`)."""
    env = os.environ | {
        "FOOTING_LOCAL": "1",
        "FOOTING_HTTPS": "0",
        "DATABASE_URL": f"sqlite:///{workdir / 'bench.sqlite3'}",
    }
    subprocess.run(
        [str(ROOT / ".venv" / "bin" / "python"), "manage.py", "shell", "-c",
         "import bench.patients_seed as s; s.seed()"],
        cwd=ROOT, env=env, check=True, capture_output=True, text=True,
    )  # fmt: skip


def _client(base: str, username: str) -> urllib.request.OpenerDirector:
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(CookieJar()))
    page = opener.open(base + "/accounts/login/", timeout=30).read()
    token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', page)
    data = f"username={username}&password={PASSWORD}&csrfmiddlewaretoken="
    data += token.group(1).decode() if token else ""
    request = urllib.request.Request(
        base + "/accounts/login/",
        data=data.encode(),
        headers={"Referer": base + "/accounts/login/"},
    )
    opener.open(request, timeout=30).read()
    return opener


def _timed(opener: urllib.request.OpenerDirector, url: str) -> tuple[float, bytes]:
    started = time.perf_counter()
    with opener.open(url, timeout=60) as response:
        body = response.read()
        assert response.status == 200, (url, response.status)
    return (time.perf_counter() - started) * 1000, body


def run(base: str, workdir: Path, *, table_out: Path) -> dict[str, Any]:
    seed(workdir)
    clients = {size: _client(base, f"bench-clinic-{size}") for size in SIZES}
    results: dict[str, Any] = {"runs": RUNS, "sizes": {}}
    for size in SIZES:
        results["sizes"][str(size)] = {}
    # Interleaved sizes, so a busy moment on a shared machine lands on all of them alike.
    samples: dict[tuple[int, str], list[float]] = {(s, k): [] for s in SIZES for k in PATHS}
    bodies: dict[int, bytes] = {}
    for number in range(WARM + RUNS):
        for size in SIZES:
            for kind, path in PATHS.items():
                elapsed, body = _timed(clients[size], base + path)
                if number >= WARM:
                    samples[size, kind].append(elapsed)
                if kind == "page":
                    bodies[size] = body
    for (size, kind), times in samples.items():
        times.sort()
        results["sizes"][str(size)][kind] = {
            "p50_ms": round(statistics.median(times), 1),
            "p90_ms": round(times[int(len(times) * 0.9) - 1], 1),
        }
    for size, body in bodies.items():
        results["sizes"][str(size)]["page_html_gzip_bytes"] = len(gzip.compress(body, 6))
    for kind in PATHS:
        small = results["sizes"]["10"][kind]["p50_ms"]
        large = results["sizes"]["1000"][kind]["p50_ms"]
        results[f"{kind}_ratio_1000_to_10"] = round(large / small, 2)
    results["over_budget"] = over_budget(results)
    table_out.write_text(markdown(results))
    return results


def markdown(results: dict[str, Any]) -> str:
    lines = [
        "## The clinic's patient list (90 days of check-ins per patient)",
        "",
        f"p50 / p90 of {results['runs']} requests one at a time, each size its own clinic.",
        "",
        "| patients | page p50 | page p90 | API p50 | API p90 | page HTML gzip |",
        "|---:|---:|---:|---:|---:|---:|",
    ]
    for size, row in results["sizes"].items():
        lines.append(
            f"| {size} | {row['page']['p50_ms']} ms | {row['page']['p90_ms']} ms | "
            f"{row['API']['p50_ms']} ms | {row['API']['p90_ms']} ms | "
            f"{row['page_html_gzip_bytes'] / 1024:.1f} KB |"
        )
    lines += [
        "",
        f"1,000 ÷ 10: page {results['page_ratio_1000_to_10']}, "
        f"API {results['API_ratio_1000_to_10']} (aim ≤ 1.5).",
        "",
    ]
    return "\n".join(lines)


def over_budget(results: dict[str, Any]) -> list[str]:
    size = results["sizes"]["1000"]["page_html_gzip_bytes"]
    return [f"patient list page: {size} B gzip > {HTML_BUDGET}"] if size > HTML_BUDGET else []
