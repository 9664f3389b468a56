"""The phone's red-flag stop (static/js/triage-today.js, used offline and before the server
answers) must say exactly what the server's triage says (journal.advice.triage), from the
table the page really ships (the `triage_gate` tag's #triage-table), for every set of ticked
warning signs."""

from __future__ import annotations

import json
import random
import re
import shutil
import subprocess
from itertools import combinations

from django.conf import settings
from django.template import Context, Template

from journal.advice import RED_FLAG_FIELDS, triage

NODE = shutil.which("node") or shutil.which("nodejs")
SCRIPT = settings.BASE_DIR / "static" / "js" / "triage-today.js"

RUNNER = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const { triageFor } = await import(pathToFileURL(process.argv[1]).href);
const input = JSON.parse(readFileSync(0, "utf8"));
process.stdout.write(JSON.stringify(input.cases.map((flags) => triageFor(input.table, flags))));
"""


def shipped_table() -> dict:
    """The red-flag table as a page carries it: the json_script the template tag renders."""
    html = Template('{% load triage %}{% triage_gate hides="#player" %}').render(Context())
    found = re.search(r'<script id="triage-table" type="application/json">(.*?)</script>', html)
    assert found, "the triage gate ships its table as #triage-table"
    return json.loads(found[1])


def server_says(flags: list[str]) -> dict | None:
    result = triage(flags)
    if result is None:
        return None
    return {
        "urgency": result.urgency.value,
        "title": result.title,
        "reasons": list(result.reasons),
        "do": result.do,
    }


def test_the_phone_and_the_server_give_the_same_stop_for_every_set_of_red_flags() -> None:
    assert NODE, "node runs the page's triage: `make test` installs it (make node)"
    # Every subset of the warning signs (2^10), each in a shuffled order: the answer must
    # not depend on the order the boxes were ticked.
    rng = random.Random(20261201)
    cases = []
    for size in range(len(RED_FLAG_FIELDS) + 1):
        for chosen in combinations(RED_FLAG_FIELDS, size):
            flags = list(chosen)
            rng.shuffle(flags)
            cases.append(flags)

    result = subprocess.run(
        [NODE, "--input-type=module", "-e", RUNNER, str(SCRIPT)],
        input=json.dumps({"table": shipped_table(), "cases": cases}),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    from_js = json.loads(result.stdout)

    assert len(from_js) == len(cases) == 2 ** len(RED_FLAG_FIELDS)
    for flags, js in zip(cases, from_js, strict=True):
        assert js == server_says(flags), flags
    # Both urgencies and the no-flag day were really compared.
    assert {js["urgency"] for js in from_js if js} == {"emergency", "today"}
    assert from_js[0] is None
