"""Where a request's time goes, measured in-process: `python -m bench.profile`.

wrk under load says how fast the server is beside a static file; it cannot say why. This
drives Django's real WSGI handler (production settings, the full middleware stack, a
throwaway SQLite file with the content loaded and one runner logged in) N times per
target, in one thread, with nothing else in between, and reports per request:

- the median and p90 CPU time (µs) of the whole handler call, body included;
- each middleware's own time (inside it, minus inside the next layer) and the view's;
- each SQL query's count and median time;
- optionally (`--cprofile NAME`) the functions a target spends its time in (and, with
  `--callers TEXT`, who calls the functions matching TEXT);
- optionally (`--inside module:name`, repeatable) the time spent inside named functions
  and their calls per request, without cProfile's cost per call (class `Inside`).

`--patients` adds the clinic's patient list (page and API) at 10, 100 and 1,000 patients
with 90 days of check-ins each (bench/patients_seed.py, as `make bench` seeds them),
each asked by its own clinic's clinician (`--sizes 1000`: that size alone; `--db FILE`:
keep the seeded database in FILE and reuse it next time).

The figures are deterministic enough to compare a change against the code before it
(same machine, same minute); the ratio to the static file is what the load run
(bench/load.py) measures for real, with gunicorn and sockets added to both sides.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import importlib
import inspect
import io
import os
import pstats
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.load import checkin_body
from bench.run import production_env

ROOT = Path(__file__).resolve().parent.parent
ROUTINE = "plantar-fasciitis-pain-management"
# This thread's CPU time, not the wall clock: on a machine shared with other work, time
# spent waiting for a core is not the request's cost. (SQLite runs in this thread too.)
CLOCK = time.thread_time_ns
OWNER_COOKIE = "footing_owner"  # footing.middleware's, named here to be read before setup


@dataclass
class Target:
    name: str
    path: str
    method: str = "GET"
    headers: dict[str, str] = field(default_factory=dict)
    body: bytes = b""
    member: bool = False  # sends the logged-in runner's cookies and CSRF token
    as_user: str = ""  # sends this person's session cookie instead (with member=True)


# Username → cookies, for targets asked by someone else than the runner (`as_user`).
SESSIONS: dict[str, dict[str, str]] = {}


@dataclass
class Timings:
    total: list[float] = field(default_factory=list)
    layers: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    queries: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    statuses: set[int] = field(default_factory=set)
    body_bytes: int = 0
    inside: dict[str, list[tuple[float, int]]] = field(default_factory=lambda: defaultdict(list))


class Inside:
    """The CPU time a request spends inside one named function, and its calls.

    cProfile's own cost on every call inflates small functions several times over (it put
    the check-in upsert's 25 value preparations at ~150 µs; timed alone they are 50-90 µs),
    so this wraps only the function named: `module:attribute`, or `module:Class.method`.
    The name is replaced where it is looked up, so for a function another module imported
    by name (`from journal.upsert import checkin_upsert`) name that module
    (`journal.services:checkin_upsert`). A call inside a call of itself counts once.
    """

    def __init__(self, spec: str) -> None:
        module, _, path = spec.partition(":")
        *parents, self.attribute = path.split(".")
        if not module or not self.attribute:
            raise ValueError(f"{spec!r}: expected module:function or module:Class.method")
        owner: Any = importlib.import_module(module)
        for name in parents:
            owner = getattr(owner, name)
        self.spec, self.owner = spec, owner
        self.original = inspect.getattr_static(owner, self.attribute)  # (a method as defined)
        self.inherited = isinstance(owner, type) and self.attribute not in owner.__dict__
        self.spent = self.calls = self.depth = 0
        kind = type(self.original)
        wrapper = kind if kind in (staticmethod, classmethod) else None
        function = self.original.__func__ if wrapper else getattr(owner, self.attribute)

        @functools.wraps(function)
        def timed(*args: Any, **kwargs: Any) -> Any:
            self.calls += 1
            self.depth += 1
            started = CLOCK() if self.depth == 1 else 0
            try:
                return function(*args, **kwargs)
            finally:
                self.depth -= 1
                if self.depth == 0:
                    self.spent += CLOCK() - started

        # (a staticmethod or classmethod stays one: what it wraps is timed)
        setattr(owner, self.attribute, wrapper(timed) if wrapper else timed)

    def take(self) -> tuple[float, int]:
        """(µs inside, calls) since the last take."""
        taken = (self.spent / 1000, self.calls)
        self.spent = self.calls = 0
        return taken

    def restore(self) -> None:
        if self.inherited:
            delattr(self.owner, self.attribute)
        else:
            setattr(self.owner, self.attribute, self.original)


def prepared_environment(database: Path) -> dict[str, str]:
    """Production settings on an SQLite file, as bench/run.py starts gunicorn: migrated,
    and the content loaded when the file is new (a kept file, `--db`, is reused)."""
    new = not database.exists()
    env = production_env(database) | {"DJANGO_SETTINGS_MODULE": "footing.settings"}
    for command in (["migrate", "--noinput"], *([["load_content"]] if new else [])):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
    return env


def environ_for(target: Target, cookies: dict[str, str], csrf: str) -> dict[str, Any]:
    cookies = SESSIONS.get(target.as_user, cookies)
    path, _, query = target.path.partition("?")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": target.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "SERVER_NAME": "127.0.0.1",
        "SERVER_PORT": "8000",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "REMOTE_ADDR": "127.0.0.1",
        "HTTP_HOST": "127.0.0.1:8000",
        "wsgi.url_scheme": "http",
        "wsgi.input": io.BytesIO(target.body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.version": (1, 0),
    }
    if target.body:
        environ["CONTENT_LENGTH"] = str(len(target.body))
        environ["CONTENT_TYPE"] = "application/json"
    if target.member:
        environ["HTTP_COOKIE"] = "; ".join(f"{k}={v}" for k, v in cookies.items())
        # As the phone's outbox sends a write (static/js/outbox.js).
        environ["HTTP_X_CSRFTOKEN"] = csrf
        environ["HTTP_REFERER"] = "http://127.0.0.1:8000/checkin/"
        environ["HTTP_ACCEPT"] = "application/json"
        environ["HTTP_X_FOOTING_OWNER"] = cookies[OWNER_COOKIE].partition(":")[0]
    for name, value in target.headers.items():
        environ["HTTP_" + name.upper().replace("-", "_")] = value
    return environ


def ignore_start(status: str, headers: list[tuple[str, str]], exc_info: Any = None) -> Any:
    """The WSGI start_response: the status and headers are read from the response."""
    return None


class LayerClock:
    """Wraps each middleware's get_response to time what runs inside the next layer."""

    def __init__(self, chain: Callable[..., Any]) -> None:
        self.names: list[str] = []
        self.inside: list[float] = []
        layer = chain
        depth = 0
        while True:
            instance = getattr(layer, "__wrapped__", None)
            if instance is None or not hasattr(instance, "get_response"):
                break
            self.names.append(type(instance).__name__)
            self.inside.append(0.0)
            inner = instance.get_response
            instance.get_response = self._timed(inner, depth)
            layer = inner
            depth += 1
        self.names.append("view (URL resolving, the view, its rendering)")

    def _timed(self, inner: Callable[..., Any], depth: int) -> Callable[..., Any]:
        def timed(request: Any) -> Any:
            started = CLOCK()
            try:
                return inner(request)
            finally:
                self.inside[depth] += CLOCK() - started

        return timed

    def reset(self) -> None:
        self.inside = [0.0] * len(self.inside)

    def own_times(self, total_chain: float) -> dict[str, float]:
        """Each layer's own µs: the time inside it minus the time inside the next."""
        outer = [total_chain, *self.inside]
        own = {}
        for index, name in enumerate(self.names):
            inner = outer[index + 1] if index + 1 < len(outer) else 0.0
            own[name] = (outer[index] - inner) / 1000
        return own


@contextmanager
def query_clock(timings: Timings) -> Iterator[None]:
    from django.db import connection

    def wrapper(
        execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        started = CLOCK()
        try:
            return execute(sql, params, many, context)
        finally:
            timings.queries[" ".join(sql.split())[:90]].append((CLOCK() - started) / 1000)

    with connection.execute_wrapper(wrapper):
        yield


def run(
    handler: Any,
    clock: LayerClock,
    target: Target,
    *,
    cookies: dict[str, str],
    csrf: str,
    requests: int,
    warmup: int,
    profile: cProfile.Profile | None = None,
    inside: tuple[Inside, ...] = (),
) -> Timings:
    timings = Timings()
    chain = handler._middleware_chain

    def one(record: bool) -> None:
        environ = environ_for(target, cookies, csrf)
        clock.reset()
        chain_time = [0.0]

        def timed_chain(request: Any) -> Any:
            started = CLOCK()
            try:
                return chain(request)
            finally:
                chain_time[0] = CLOCK() - started

        handler._middleware_chain = timed_chain
        for watched in inside:
            watched.take()
        started = CLOCK()
        response = handler(environ, ignore_start)
        body = b"".join(response)
        response.close()
        elapsed = CLOCK() - started
        handler._middleware_chain = chain
        assert body is not None
        if record:
            timings.total.append(elapsed / 1000)
            timings.statuses.add(response.status_code)
            timings.body_bytes = len(body)
            own = clock.own_times(chain_time[0])
            own["WSGI handler (request, signals, body)"] = (elapsed - chain_time[0]) / 1000
            for name, value in own.items():
                timings.layers[name].append(value)
            for watched in inside:
                timings.inside[watched.spec].append(watched.take())

    for _ in range(warmup):
        one(record=False)
    with query_clock(timings):
        if profile is not None:
            profile.enable()
        for _ in range(requests):
            one(record=True)
        if profile is not None:
            profile.disable()
    return timings


def report(name: str, timings: Timings, requests: int) -> list[str]:
    total = statistics.median(timings.total)
    deciles = statistics.quantiles(timings.total, n=10)
    # p10: the cost with the least interference from other work on a shared machine (CPU
    # time still grows when another process shares the core's caches); compare on it.
    lines = [
        f"## {name}: median {total:.0f} µs, p10 {deciles[0]:.0f} µs, p90 {deciles[-1]:.0f} µs "
        f"(status {sorted(timings.statuses)}, {timings.body_bytes} B, {requests} requests)",
        "",
        "| layer | own µs (median) |",
        "|---|---|",
    ]
    for layer, values in timings.layers.items():
        median = statistics.median(values)
        if median >= 1:
            lines.append(f"| {layer} | {median:.0f} |")
    if timings.queries:
        lines += ["", "| query | per request | µs (median) |", "|---|---|---|"]
        for sql, values in timings.queries.items():
            lines.append(
                f"| `{sql}` | {len(values) / requests:.2f} | {statistics.median(values):.0f} |"
            )
    if timings.inside:
        lines += [
            "",
            "| inside | calls per request | µs (median) | µs (p10) |",
            "|---|---|---|---|",
        ]
        for spec, taken in timings.inside.items():
            spent = sorted(time_in for time_in, _ in taken)
            calls = statistics.mean(count for _, count in taken)
            lines.append(
                f"| `{spec}` | {calls:.2f} | {statistics.median(spent):.0f} "
                f"| {spent[len(spent) // 10]:.0f} |"
            )
    return [*lines, ""]


def targets(etag: str) -> list[Target]:
    body = checkin_body(datetime.now(UTC).date().isoformat()).encode()
    api = f"/api/v1/routines/{ROUTINE}"
    return [
        Target("static file", "/static/css/app.css"),
        Target("routine page", f"/routines/{ROUTINE}/"),
        Target("routine API", api),
        Target("304 revalidation", api, headers={"If-None-Match": etag}),
        Target("check-in POST", "/api/v1/checkins", method="POST", body=body, member=True),
    ]


def patient_list_targets(sizes: tuple[int, ...] | None = None) -> list[Target]:
    """The patient list at each size, asked by that clinic's clinician (seeded first,
    unless the database holds that clinic already)."""
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.test import Client

    from accounts.backends import PROFILE_BACKEND
    from bench import patients_seed
    from footing.middleware import owner_cookie_value

    sizes = sizes or patients_seed.SIZES
    patients_seed.seed(sizes)
    found = []
    for size in sizes:
        username = patients_seed.clinician_of(size)
        clinician = get_user_model().objects.get(username=username)
        client = Client()
        client.force_login(clinician, PROFILE_BACKEND)
        SESSIONS[username] = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            OWNER_COOKIE: owner_cookie_value(clinician),  # as their browser holds it
        }
        found += [
            Target(f"patient list {size}", "/clinic/", member=True, as_user=username),
            Target(f"patient API {size}", "/api/v1/clinic/patients", member=True, as_user=username),
        ]
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    parser.add_argument("--warmup", type=int, default=200)
    parser.add_argument("--only", action="append", help="a target's name (repeatable)")
    parser.add_argument("--cprofile", action="append", default=[], help="a target's name")
    parser.add_argument("--patients", action="store_true", help="add the patient list")
    parser.add_argument(
        "--sizes",
        type=lambda text: tuple(int(n) for n in text.split(",")),
        default=None,
        help="with --patients: which clinic sizes, e.g. 1000 or 10,1000 (default 10,100,1000)",
    )
    parser.add_argument(
        "--db",
        type=Path,
        help="keep the SQLite database in this file and reuse it on the next run "
        "(seeding 1,000 patients × 90 days takes minutes; the seed's days are relative "
        "to the day it ran)",
    )
    parser.add_argument("--top", type=int, default=25)
    parser.add_argument("--sort", default="tottime", help="pstats order: tottime, cumulative")
    parser.add_argument("--callers", help="with --cprofile: who calls functions matching this")
    parser.add_argument(
        "--inside", action="append", default=[], help="module:function (repeatable): time in it"
    )
    options = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="footing-profile-") as folder:
        database = options.db.resolve() if options.db else Path(folder) / "profile.sqlite3"
        os.environ.update(prepared_environment(database))
        sys.path.insert(0, str(ROOT))
        import django

        django.setup()
        from django.conf import settings
        from django.contrib.auth import get_user_model
        from django.core.handlers.wsgi import WSGIHandler
        from django.middleware.csrf import _get_new_csrf_string
        from django.test import Client

        from accounts.backends import PROFILE_BACKEND
        from footing.middleware import owner_cookie_value

        runner = get_user_model().objects.filter(username="profile-runner").first()
        runner = runner or get_user_model().objects.create_user("profile-runner", password=None)
        client = Client()
        client.force_login(runner, backend=PROFILE_BACKEND)
        csrf = _get_new_csrf_string()
        cookies = {
            settings.SESSION_COOKIE_NAME: client.cookies[settings.SESSION_COOKIE_NAME].value,
            settings.CSRF_COOKIE_NAME: csrf,
            # The phone holds it from its log-in (footing/middleware.py).
            OWNER_COOKIE: owner_cookie_value(runner),
        }
        handler = WSGIHandler()
        clock = LayerClock(handler._middleware_chain)  # type: ignore[attr-defined]
        api = f"/api/v1/routines/{ROUTINE}"
        response = handler(environ_for(Target("etag", api), cookies, csrf), ignore_start)
        etag = response["ETag"]
        inside = tuple(Inside(spec) for spec in options.inside)
        every = targets(etag) + (patient_list_targets(options.sizes) if options.patients else [])
        chosen = [t for t in every if not options.only or t.name in options.only]
        print(
            f"{options.requests} requests each after {options.warmup} to warm up; "
            f"load average {os.getloadavg()[0]:.2f}\n"
        )
        for target in chosen:
            profile = cProfile.Profile() if target.name in options.cprofile else None
            timings = run(
                handler,
                clock,
                target,
                cookies=cookies,
                csrf=csrf,
                requests=options.requests,
                warmup=options.warmup,
                profile=profile,
                inside=inside,
            )
            print("\n".join(report(target.name, timings, options.requests)))
            if profile is not None:
                out = io.StringIO()
                stats = pstats.Stats(profile, stream=out)
                stats.sort_stats(options.sort).print_stats(options.top)
                if options.callers:
                    stats.print_callers(options.callers)
                print(out.getvalue())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
