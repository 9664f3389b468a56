"""The JavaScript's static module graph, read from the files themselves.

A page's one module script (static/js/app.js) imports modules that import others; a
browser finds each level only once the level above has arrived and been parsed, one round
trip (through the service worker, offline) per level. `<link rel="modulepreload">` for the
whole graph lets it fetch and compile them all at once, while it parses the page. The list
is worked out from the `import … from "./x.js"` lines, so a new import is preloaded
without anyone typing it here. Dynamic `import()`s are left out on purpose: those are the
modules a page may never need.
"""

from __future__ import annotations

import re
from functools import cache

from django.contrib.staticfiles import finders

STATIC_IMPORT = re.compile(r'(?:\bfrom|^import)\s*"\./([\w.-]+\.js)"', re.MULTILINE)


@cache
def static_imports(entry: str) -> tuple[str, ...]:
    """Every module `entry` ("js/app.js") imports, directly or not, nearest first."""
    folder = entry.rsplit("/", 1)[0]
    found: list[str] = []
    level = [entry]
    while level:
        below: list[str] = []
        for name in level:
            path = finders.find(name)
            assert isinstance(path, str), f"{name} is not a static file"
            with open(path, encoding="utf-8") as file:
                source = file.read()
            for target in STATIC_IMPORT.findall(source):
                module = f"{folder}/{target}"
                if module != entry and module not in found:
                    found.append(module)
                    below.append(module)
        level = below
    return tuple(found)
