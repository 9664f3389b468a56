"""Saved-routine figures: how much "Save for offline" downloads and how fast it opens offline.

    .venv/bin/python bench/offline.py [--runs 9]

Starts the app as `make run` does (gunicorn + WhiteNoise, production settings; see
bench/run.py), saves the plantar fasciitis routine in Chromium at 390×844, cuts the network
and opens the routine and its exercises again and again. Prints the numbers; budgets
(≤ 500 KB to save, ≤ 100 ms to open offline) are reported, never asserted: timings vary
by machine. Needs `make assets` first (the hashed static files).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import statistics
import sys
import tempfile
import urllib.request
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.run import server

ROUTINE = "plantar-fasciitis-pain-management"
SAVE_BUDGET_BYTES = 500 * 1024
OPEN_BUDGET_MS = 100

WAIT_FOR_CONTROL = """async () => {
  await navigator.serviceWorker.ready;
  while (navigator.serviceWorker.controller?.state !== "activated") {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}"""
# Pages visited online are cached too: forget them so only the saved copy answers.
FORGET_VISITED_PAGES = """async () => {
  for (const name of await caches.keys()) {
    if (name.startsWith("footing-pages-")) await caches.delete(name);
  }
}"""
# A tap on an exercise while offline: hx-boost fetches it through the service worker.
TAP_FIRST_EXERCISE = """() => new Promise((resolve) => {
  const start = performance.now();
  document.addEventListener("htmx:afterSettle", () => resolve(performance.now() - start),
    { once: true });
  document.querySelector(".step-link").click();
})"""


# What a page's own thread spent on an open, from a trace: the CPU time (`tdur`) of the
# renderer main thread's tasks from the navigation's start to its load event. Unlike the
# wall-clock duration it hardly moves with the machine's load (threads waiting for a core
# are not counted), so it tells work from contention. Traced opens are extra ones: tracing
# slows a page, and the budget figure above is measured without it.
TRACE_CATEGORIES = ["disabled-by-default-devtools.timeline", "devtools.timeline", "loading"]


def main_thread_cpu_ms(trace: bytes, duration_ms: float) -> float:
    events = json.loads(trace)["traceEvents"]
    names = {
        (e["pid"], e["tid"]): e["args"]["name"] for e in events if e.get("name") == "thread_name"
    }
    busy: dict[tuple[int, int], int] = {}
    for e in events:
        key = (e.get("pid"), e.get("tid"))
        if e.get("name") == "RunTask" and names.get(key) == "CrRendererMain":
            busy[key] = busy.get(key, 0) + e.get("tdur", 0)
    page = max(busy, key=lambda key: busy[key])  # the renderer that opened the page
    mine = [e for e in events if (e.get("pid"), e.get("tid")) == page]
    loaded = max(e["ts"] for e in mine if e.get("name") == "MarkLoad")
    start = loaded - duration_ms * 1000
    spent: int = sum(
        e.get("tdur", 0)
        for e in mine
        if e.get("ph") == "X" and e.get("name") == "RunTask" and start <= e["ts"] <= loaded
    )
    return spent / 1000


def fetch(url: str, *, gzip_ok: bool) -> bytes:
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    with urllib.request.urlopen(urllib.request.Request(url, headers=headers), timeout=10) as r:
        return bytes(r.read())


def download_sizes(base: str) -> dict[str, Any]:
    manifest = json.loads(
        fetch(f"{base}/api/v1/routines/{ROUTINE}/offline-manifest", gzip_ok=False)
    )
    on_the_wire = 0
    for file in manifest["files"]:
        body = fetch(base + file["url"], gzip_ok=True)
        # WhiteNoise and GZipMiddleware answer gzip when asked; images stay as they are.
        on_the_wire += len(body)
        if body[:2] == b"\x1f\x8b":
            assert len(gzip.decompress(body)) == file["bytes"], file["url"]
    return {
        "files": len(manifest["files"]),
        "by_kind": {
            kind: sum(f["bytes"] for f in manifest["files"] if f["kind"] == kind)
            for kind in sorted({f["kind"] for f in manifest["files"]})
        },
        "manifest_bytes": manifest["total_bytes"],
        "transfer_bytes_gzip": on_the_wire,
    }


def offline_timings(base: str, runs: int) -> dict[str, Any]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path="/usr/bin/chromium", args=["--no-sandbox", "--disable-gpu"]
        )
        context = browser.new_context(
            viewport={"width": 390, "height": 844}, service_workers="allow"
        )
        page = context.new_page()
        page.goto(f"{base}/routines/{ROUTINE}/")
        page.evaluate(WAIT_FOR_CONTROL)
        page.get_by_role("button", name="Save for offline").click()
        page.locator(".is-saved").wait_for(timeout=60_000)
        [record] = page.evaluate("() => window.footingOffline.savedList()")
        page.evaluate(FORGET_VISITED_PAGES)
        context.set_offline(True)

        opens, taps, cpu = [], [], []
        for _ in range(runs):
            page.goto(f"{base}/routines/{ROUTINE}/")
            opens.append(page.evaluate("performance.getEntriesByType('navigation')[0].duration"))
            taps.append(page.evaluate(TAP_FIRST_EXERCISE))
        for _ in range(runs):
            browser.start_tracing(page=page, categories=TRACE_CATEGORIES)
            page.goto(f"{base}/routines/{ROUTINE}/")
            took = page.evaluate("performance.getEntriesByType('navigation')[0].duration")
            cpu.append(main_thread_cpu_ms(browser.stop_tracing(), took))
        browser.close()
    return {
        "saved_bytes": record["bytes"],
        "open_ms_median": round(statistics.median(opens), 1),
        "open_ms_max": round(max(opens), 1),
        "tap_exercise_ms_median": round(statistics.median(taps), 1),
        "tap_exercise_ms_max": round(max(taps), 1),
        "main_thread_cpu_ms_median": round(statistics.median(cpu), 1),
        "runs": runs,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as workdir, server(Path(workdir)) as base:
        sizes = download_sizes(base)
        timings = offline_timings(base, args.runs)
    kb = 1024
    print(f"Save for offline: {sizes['files']} files, {sizes['manifest_bytes'] / kb:.1f} KB")
    print(f"  by kind: {', '.join(f'{k} {v / kb:.1f} KB' for k, v in sizes['by_kind'].items())}")
    print(f"  on the wire (gzip): {sizes['transfer_bytes_gzip'] / kb:.1f} KB")
    print(f"  stored by the phone: {timings['saved_bytes'] / kb:.1f} KB")
    print(
        f"  budget ≤ {SAVE_BUDGET_BYTES // kb} KB: "
        f"{'within' if sizes['manifest_bytes'] <= SAVE_BUDGET_BYTES else 'OVER'}"
    )
    print(
        f"Open the saved routine offline (navigation timing, {timings['runs']} runs): "
        f"median {timings['open_ms_median']} ms, max {timings['open_ms_max']} ms; "
        f"budget ≤ {OPEN_BUDGET_MS} ms: "
        f"{'within' if timings['open_ms_median'] <= OPEN_BUDGET_MS else 'OVER'}"
    )
    print(
        f"  the page's main thread: median {timings['main_thread_cpu_ms_median']} ms of CPU "
        f"per open (traced opens; load average {os.getloadavg()[0]:.1f})"
    )
    print(
        f"Tap an exercise offline (hx-boost through the service worker): "
        f"median {timings['tap_exercise_ms_median']} ms, max {timings['tap_exercise_ms_max']} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
