"""What a page makes the browser load before anyone taps anything: its stylesheets and
scripts, every ES module those scripts import, and the page modules its `data-module`
elements start (static/js/app.js maps each name to a module), with theirs.

One definition for the deterministic budget test (tests/pwa/test_budgets.py, reading the
collected static files) and for `make bench` (reading them from the running server): the
bench once counted only `<script src>` tags and missed app.js's whole module graph.
"""

from __future__ import annotations

import re
from collections.abc import Callable

STATIC_IMPORT = re.compile(r'(?:\bfrom|^import)\s*"\./([^"]+\.js)"', re.MULTILINE)
PAGE_MODULE = re.compile(r'"?([\w-]+)"?: \(\) => import\("\./([^"]+\.js)"\)')
DATA_MODULE = re.compile(r'data-module="([^"]+)"')
APP = re.compile(r"js/app\.\w+\.js")


def asset_pattern(static_url: str) -> re.Pattern[str]:
    """A stylesheet link or a (module) script under STATIC_URL, by its path below it."""
    return re.compile(
        r'<(?:link rel="stylesheet" href|script (?:type="module" )?src)="'
        + re.escape(static_url)
        + '([^"]+)"'
    )


def first_load(html: str, static_url: str, read: Callable[[str], str]) -> set[str]:
    """The static paths (below STATIC_URL) `html` loads first; `read(path)` gives a file's text."""
    loaded: set[str] = set()

    def with_imports(path: str) -> None:
        if path in loaded:
            return
        loaded.add(path)
        if path.endswith(".js"):
            folder = path.rsplit("/", 1)[0]
            for name in STATIC_IMPORT.findall(read(path)):
                with_imports(f"{folder}/{name}")

    for path in asset_pattern(static_url).findall(html):
        with_imports(path)
    [app] = [path for path in loaded if APP.fullmatch(path)]
    page_modules = dict(PAGE_MODULE.findall(read(app)))
    for names in DATA_MODULE.findall(html):
        for name in names.split():
            with_imports(f"js/{page_modules[name]}")
    return loaded
