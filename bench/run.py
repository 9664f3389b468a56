"""`make bench`: Footing's speed and page-weight figures, measured, never assumed.

Starts the app as `make run` does (gunicorn + WhiteNoise, production settings) on a
throwaway SQLite database, then measures:

- page weight per page type: HTML gzip bytes (budget 14 KB) and first-load CSS + JS
  gzip bytes as served (budget 50 KB);
- server speed with wrk (bench/load.py): the routine page, the routine API, the exercise
  list, a 304 revalidation and a check-in POST, beside a static file of similar size from
  the same server in the same round (the ratio is the headline figure), and the gain
  against the ratios before issue 19 (bench/baseline.json);
- how fast a saved routine opens offline (navigation timing in Chromium);
- Lighthouse (mobile) on home, a condition, a routine and the check-in.

Writes bench/results.json and bench/results.md. Timings vary by machine: this is a
benchmark, not a test.
"""

from __future__ import annotations

import gzip
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from http.cookiejar import CookieJar
from pathlib import Path
from typing import Any

from bench import load, patients
from bench.first_load import first_load

ROOT = Path(__file__).resolve().parent.parent
PYTHON = ROOT / ".venv" / "bin" / "python"
OUT = ROOT / "bench"
NODE_DIR = ROOT / "build" / "lighthouse"
LIGHTHOUSE = "lighthouse@12.8.2"  # 13.x needs Node >= 22; Debian's is 20

HTML_BUDGET = 14 * 1024
ASSET_BUDGET = 50 * 1024
OFFLINE_BUDGET_MS = 100
USER, PASSWORD = "bench-runner", "bench-" + secrets.token_hex(8)
ROUTINE = "plantar-fasciitis-pain-management"
PAGES = {
    "home": "/",
    "condition": "/conditions/plantar-fasciitis/",
    "exercise": "/exercises/high-load-heel-raise/",
    "routine": f"/routines/{ROUTINE}/",
    "check-in": "/checkin/",
    "progress": "/progress/",
    "self-check": "/self-check/",
}
LOGGED_IN_PAGES = {"check-in", "progress"}
LIGHTHOUSE_PAGES = ["home", "condition", "routine", "check-in"]


# ---- the server -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def manage(env: dict[str, str], *args: str) -> str:
    done = subprocess.run(
        [str(PYTHON), "manage.py", *args],
        cwd=ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout


def production_env(database: Path) -> dict[str, str]:
    """Production settings (no DEBUG, a real secret key) on a throwaway SQLite file."""
    return os.environ | {
        "DEBUG": "0",
        "FOOTING_LOCAL": "0",
        "FOOTING_HTTPS": "0",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "DATABASE_URL": f"sqlite:///{database}",
    }


@contextmanager
def server(workdir: Path) -> Iterator[str]:
    """The app with production settings on a free port; yields its base URL."""
    port = free_port()
    env = production_env(workdir / "bench.sqlite3")
    manage(env, "migrate", "--noinput")
    manage(env, "load_content")
    manage(
        env,
        "shell",
        "-c",
        "from django.contrib.auth import get_user_model; "
        f"get_user_model().objects.create_user({USER!r}, password={PASSWORD!r})",
    )
    gunicorn = subprocess.Popen(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "footing.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--no-control-socket",
            "--log-level",
            "warning",
        ],
        cwd=ROOT,
        env=env,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        yield base
    finally:
        gunicorn.send_signal(signal.SIGTERM)
        gunicorn.wait(timeout=20)


# ---- HTTP helpers -------------------------------------------------------------------------


class Session:
    """A tiny browser-like client: cookies, CSRF, gzip-aware sizes."""

    def __init__(self, base: str) -> None:
        self.base = base
        self.jar = CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def get(self, path: str, *, gzip_ok: bool = False) -> tuple[int, bytes, dict[str, str]]:
        headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
        request = urllib.request.Request(self.base + path, headers=headers)
        with self.opener.open(request, timeout=10) as response:
            return response.status, response.read(), dict(response.headers)

    def cookie(self, name: str) -> str:
        return next((c.value or "" for c in self.jar if c.name == name), "")

    def log_in(self) -> None:
        _, body, _ = self.get("/accounts/login/")
        token = re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body)
        csrf = token.group(1).decode() if token else ""
        data = f"username={USER}&password={PASSWORD}&csrfmiddlewaretoken={csrf}"
        request = urllib.request.Request(
            self.base + "/accounts/login/",
            data=data.encode(),
            headers={"Referer": self.base + "/accounts/login/"},
        )
        self.opener.open(request, timeout=10).read()
        if not self.cookie("sessionid"):
            raise RuntimeError("could not log in the bench user")


STATIC_URL = "/static/"  # footing/settings.py


def gzip_size(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=6))


# ---- measurements ---------------------------------------------------------------------------


def first_load_weight(client: Session, html: str) -> tuple[list[str], int]:
    """The page's first-load stylesheets and scripts (bench.first_load) and their gzip bytes,
    as the server sends them."""
    bodies: dict[str, tuple[bytes, dict[str, str]]] = {}

    def fetched(path: str) -> tuple[bytes, dict[str, str]]:
        if path not in bodies:
            _, body, headers = client.get(STATIC_URL + path, gzip_ok=True)
            bodies[path] = (body, headers)
        return bodies[path]

    def text(path: str) -> str:
        body, headers = fetched(path)
        return (
            gzip.decompress(body) if headers.get("Content-Encoding") == "gzip" else body
        ).decode()

    assets = sorted(first_load(html, STATIC_URL, text))
    weight = 0
    for path in assets:
        body, headers = fetched(path)
        weight += len(body) if headers.get("Content-Encoding") == "gzip" else gzip_size(body)
    return assets, weight


def page_weights(base: str) -> dict[str, dict[str, Any]]:
    anonymous, member = Session(base), Session(base)
    member.log_in()
    results = {}
    for name, path in PAGES.items():
        client = member if name in LOGGED_IN_PAGES else anonymous
        _, html, _ = client.get(path)
        assets, asset_bytes = first_load_weight(client, html.decode())
        results[name] = {
            "path": path,
            "html_bytes": len(html),
            "html_gzip_bytes": gzip_size(html),
            "first_load_assets_gzip_bytes": asset_bytes,
            "assets": assets,
        }
    return results


def throughput(
    base: str, weights: dict[str, dict[str, Any]], workdir: Path, seconds: int, rounds: int
) -> dict[str, Any]:
    """Routine page and API, exercise list, 304s and check-in POSTs (see bench/load.py)."""
    member = Session(base)
    member.log_in()
    static_path, static_bytes = closest_static_file(weights["routine"]["html_bytes"])
    checkin = load.checkin_script(
        workdir / "checkin.lua",
        base=base,
        cookies={cookie.name: cookie.value or "" for cookie in member.jar},
    )
    results = load.throughput(
        base,
        routine=ROUTINE,
        static_path=static_path,
        etag_of=lambda path: Session(base).get(path)[2]["ETag"],
        checkin=checkin,
        seconds=seconds,
        rounds=rounds,
    )
    return results | {"static_bytes": static_bytes}


def closest_static_file(size: int) -> tuple[str, int]:
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())["paths"]
    candidates = []
    for hashed in manifest.values():
        path = ROOT / "staticfiles" / hashed
        if path.suffix in {".css", ".js", ".json", ".html", ".svg"}:
            candidates.append(
                (abs(path.stat().st_size - size), "/static/" + hashed, path.stat().st_size)
            )
    _, url, bytes_ = min(candidates)
    return url, bytes_


def offline_open(base: str, runs: int = 9) -> dict[str, Any]:
    """What saving a routine downloads and how fast it opens offline (bench/offline.py)."""
    from bench.offline import download_sizes, offline_timings

    return download_sizes(base) | offline_timings(base, runs)


def lighthouse(base: str, workdir: Path) -> dict[str, dict[str, float]]:
    binary = NODE_DIR / "node_modules" / ".bin" / "lighthouse"
    if not binary.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        # No lock file: it would record registry addresses. The version is pinned above.
        subprocess.run(
            [
                "npm",
                "install",
                "--prefix",
                str(NODE_DIR),
                "--no-package-lock",
                "--no-save",
                "--silent",
                LIGHTHOUSE,
            ],
            check=True,
        )
    member = Session(base)
    member.log_in()
    scores = {}
    for name in LIGHTHOUSE_PAGES:
        report = workdir / f"lighthouse-{name}.json"
        # Lighthouse now and then fails to record a trace on a busy machine: try again.
        for _attempt in range(3):
            if name in LOGGED_IN_PAGES:
                # Logged in as a browser is: the session cookie in the browser's own jar, so
                # the page's fetch() calls carry it and the server's other cookies join it
                # (a Cookie header given to Lighthouse is dropped from those calls).
                with chrome_with_session(base, member.cookie("sessionid"), workdir) as port:
                    done = run_lighthouse(binary, base + PAGES[name], report, f"--port={port}")
            else:
                done = run_lighthouse(
                    binary,
                    base + PAGES[name],
                    report,
                    "--chrome-flags=--headless=new --no-sandbox --disable-gpu",
                )
            if done.returncode == 0:
                break
        categories = json.loads(report.read_text())["categories"]
        scores[name] = {
            key: round((value["score"] or 0) * 100) for key, value in categories.items()
        }
    return scores


def run_lighthouse(
    binary: Path, address: str, report: Path, browser: str
) -> subprocess.CompletedProcess[bytes]:
    return subprocess.run(
        [
            str(binary),
            address,
            browser,
            "--only-categories=performance,accessibility,best-practices",
            "--output=json",
            f"--output-path={report}",
            "--quiet",
        ],
        check=False,
        env=os.environ | {"CHROME_PATH": "/usr/bin/chromium"},
    )


def lighthouse_chrome_flags() -> list[str]:
    """The flags Lighthouse's own launcher starts Chromium with (chrome-launcher's defaults:
    no first-run work, background networking, component updates...), read from the
    installed copy so a logged-in page is measured in the same browser as the others."""
    done = subprocess.run(
        [
            "node",
            "--input-type=module",
            "--eval",
            "import { Launcher } from 'chrome-launcher';"
            "console.log(JSON.stringify(Launcher.defaultFlags()));",
        ],
        cwd=NODE_DIR / "node_modules" / "lighthouse",
        check=True,
        capture_output=True,
        text=True,
    )
    flags: list[str] = json.loads(done.stdout)
    return flags


@contextmanager
def chrome_with_session(base: str, session: str, workdir: Path) -> Iterator[int]:
    """A headless Chromium whose cookie jar holds the member's session, for Lighthouse.

    Started as Lighthouse starts its own (same flags), and left alone once the cookie is
    set: a Playwright connection kept open during the run attaches to every page and
    worker and cost the measured page main-thread time the anonymous pages never paid."""
    from playwright.sync_api import sync_playwright

    port = free_port()
    chrome = subprocess.Popen(
        [
            "/usr/bin/chromium",
            *lighthouse_chrome_flags(),
            "--headless=new",
            "--no-sandbox",
            "--disable-gpu",
            f"--remote-debugging-port={port}",
            f"--user-data-dir={workdir / f'chrome-{port}'}",
            "about:blank",
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with sync_playwright() as p:
            for _ in range(100):
                try:
                    browser = p.chromium.connect_over_cdp(f"http://127.0.0.1:{port}")
                    break
                except Exception:  # not listening yet
                    time.sleep(0.1)
            else:
                raise RuntimeError("Chromium did not start for Lighthouse")
            browser.contexts[0].add_cookies(
                [{"name": "sessionid", "value": session, "url": base + "/"}]
            )
        # Playwright has let go (the browser, not started by it, keeps running).
        yield port
    finally:
        chrome.terminate()
        chrome.wait(timeout=30)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    if Path("/proc/cpuinfo").exists():
        found = re.search(r"model name\s*:\s*(.+)", Path("/proc/cpuinfo").read_text())
        cpu = found.group(1) if found else cpu
    memory = (
        re.search(r"MemTotal:\s+(\d+)", Path("/proc/meminfo").read_text())
        if Path("/proc/meminfo").exists()
        else None
    )
    chromium = subprocess.run(
        ["/usr/bin/chromium", "--version"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "memory_gib": round(int(memory.group(1)) / 1024 / 1024, 1) if memory else None,
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": chromium,
        "server": "gunicorn, 2 workers x 4 threads, WhiteNoise, SQLite (WAL)",
        "load": "wrk -t2 -c16 on the same machine (client and server share the cores)",
    }


# ---- report ---------------------------------------------------------------------------------


def kb(n: int) -> str:
    return f"{n / 1024:.1f} KB"


def markdown(results: dict[str, Any]) -> str:
    lines = [
        f"Measured {results['measured_at']} on {results['machine']['cores']} cores "
        f"({results['machine']['cpu']}), {results['machine']['memory_gib']} GiB, "
        f"Python {results['machine']['python']}, {results['machine']['chromium']}; "
        f"{results['machine']['server']}.",
        "",
        "| page | HTML gzip (≤ 14 KB) | first-load CSS + JS gzip (≤ 50 KB) |",
        "|---|---|---|",
    ]
    for name, page in results["page_weight"].items():
        lines.append(
            f"| {name} `{page['path']}` | {kb(page['html_gzip_bytes'])} "
            f"| {kb(page['first_load_assets_gzip_bytes'])} |"
        )
    lines += ["", *load.markdown(results["throughput"], results["throughput"]["static_bytes"])]
    offline = results.get("offline")
    if offline:
        lines += [
            "",
            f"Saved routine opens offline in **{offline['open_ms_median']} ms** "
            f"(median of {offline['runs']}, "
            f"max {offline['open_ms_max']} ms; budget ≤ {OFFLINE_BUDGET_MS} ms; the page's main "
            f"thread spent a median {offline['main_thread_cpu_ms_median']} ms of CPU on an open). "
            f"Saving it downloads {offline['files']} files, {kb(offline['manifest_bytes'])} "
            f"({kb(offline['transfer_bytes_gzip'])} on the wire; budget ≤ 500 KB).",
        ]
    if results.get("lighthouse"):
        lines += [
            "",
            "| Lighthouse (mobile) | performance | accessibility | best practices |",
            "|---|---|---|---|",
        ]
        for name, score in results["lighthouse"].items():
            lines.append(
                f"| {name} | {score['performance']} | {score['accessibility']} "
                f"| {score['best-practices']} |"
            )
    return "\n".join(lines) + "\n"


def within_budget(results: dict[str, Any]) -> list[str]:
    problems = []
    for name, page in results["page_weight"].items():
        if page["html_gzip_bytes"] > HTML_BUDGET:
            problems.append(f"{name}: HTML {page['html_gzip_bytes']} B gzip > {HTML_BUDGET}")
        if page["first_load_assets_gzip_bytes"] > ASSET_BUDGET:
            problems.append(
                f"{name}: assets {page['first_load_assets_gzip_bytes']} B gzip > {ASSET_BUDGET}"
            )
    offline = results.get("offline")
    if offline and offline["open_ms_median"] > OFFLINE_BUDGET_MS:
        problems.append(f"offline open {offline['open_ms_median']} ms > {OFFLINE_BUDGET_MS} ms")
    for name, score in results.get("lighthouse", {}).items():
        if (
            score["performance"] < 95
            or score["accessibility"] < 100
            or score["best-practices"] < 100
        ):
            problems.append(f"lighthouse {name}: {score}")
    return problems


def main() -> int:
    # Each round runs every target once between two runs of the static file (bench/load.py).
    seconds = int(os.environ.get("BENCH_SECONDS", "3"))
    rounds = int(os.environ.get("BENCH_ROUNDS", "5"))
    skip = set(os.environ.get("BENCH_SKIP", "").split(","))
    workdir = Path(tempfile.mkdtemp(prefix="footing-bench-"))
    results: dict[str, Any] = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": machine(),
    }
    try:
        with server(workdir) as base:
            results["page_weight"] = page_weights(base)
            results["throughput"] = throughput(
                base, results["page_weight"], workdir, seconds, rounds
            )
            if "patients" not in skip:
                results["patient_list"] = patients.run(base, workdir, table_out=OUT / "patients.md")
            if "offline" not in skip:
                results["offline"] = offline_open(base)
            if "lighthouse" not in skip:
                results["lighthouse"] = lighthouse(base, workdir)
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    results["over_budget"] = within_budget(results)
    (OUT / "results.json").write_text(json.dumps(results, indent=2) + "\n")
    table = markdown(results)
    (OUT / "results.md").write_text(table)
    print(table)
    if results["over_budget"]:
        print("Over budget:\n  " + "\n  ".join(results["over_budget"]))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
