"""The patient-list part of `make bench` alone: `python -m bench.patients_only [--repeat N]`.

Starts the server as bench/run.py does (gunicorn, production settings, a throwaway SQLite
file), seeds the three clinics once (bench/patients_seed.py) and runs bench/patients.py
`--repeat` times against it, printing each run's table and the spread of the p50s and
ratios with the load average, so a change to the list can be measured without the rest
of the bench. Writes nothing into the repository (each run's table goes to the workdir).
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

from bench import patients
from bench.run import server


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs against one server")
    options = parser.parse_args()
    workdir = Path(tempfile.mkdtemp(prefix="footing-bench-patients-"))
    runs: list[dict[str, Any]] = []
    try:
        with server(workdir) as base:
            for number in range(options.repeat):
                load = os.getloadavg()[0]
                result = patients.run(base, workdir, table_out=workdir / f"patients-{number}.md")
                runs.append(result)
                print(f"run {number + 1}, load average {load:.2f}")
                print(patients.markdown(result))
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
    print(spread(runs))
    return 0


def spread(runs: list[dict[str, Any]]) -> str:
    """Each figure's lowest and highest over the runs."""
    lines = ["| figure | min | max |", "|---|---:|---:|"]
    for size in patients.SIZES:
        for kind in patients.PATHS:
            p50s = [run["sizes"][str(size)][kind]["p50_ms"] for run in runs]
            lines.append(f"| {kind} p50 at {size} | {min(p50s)} ms | {max(p50s)} ms |")
    for kind in patients.PATHS:
        ratios = [run[f"{kind}_ratio_1000_to_10"] for run in runs]
        lines.append(f"| {kind} 1,000 ÷ 10 | {min(ratios)} | {max(ratios)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
