"""The browser's evaluator (static/js/selfcheck-evaluator.js, used offline) must decide exactly as
the server's (selfcheck/evaluator.py): same questions in the same order, same outcome."""

from __future__ import annotations

import json
import random
import shutil
import subprocess

from django.conf import settings

from selfcheck.evaluator import progress, question_next, selfcheck_evaluate
from selfcheck.rules import ANSWERS, selfcheck_rules_read
from tests.selfcheck.profiles import PROFILES, walk

NODE = shutil.which("node") or shutil.which("nodejs")
SCRIPT = settings.BASE_DIR / "static" / "js" / "selfcheck-evaluator.js"
RULES = selfcheck_rules_read(root=settings.CONTENT_DIR)
DOCTOR_FIRST = ["posterior-compartment-syndrome"]

# Runs in node: for each case, walk the profile as the page would (answering each asked
# question from `symptoms`, "no" otherwise), and evaluate `answers` as given.
RUNNER = """
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";
const sc = await import(pathToFileURL(process.argv[1]).href);
const input = JSON.parse(readFileSync(0, "utf8"));
const out = input.cases.map(({ symptoms, answers }) => {
  let pairs = [];
  for (let q; (q = sc.questionNext(input.rules, Object.fromEntries(pairs))); ) {
    pairs = sc.answersStep(input.rules, pairs, q.id, symptoms[q.id] ?? "no", false);
  }
  const walked = Object.fromEntries(pairs);
  const next = sc.questionNext(input.rules, answers);
  return {
    asked: pairs.map(([id]) => id),
    walked: sc.evaluate(input.rules, walked, input.doctor_first),
    next: next ? next.id : null,
    progress: sc.progress(input.rules, answers),
    outcome: sc.evaluate(input.rules, answers, input.doctor_first),
  };
});
process.stdout.write(JSON.stringify(out));
"""


def python_side(symptoms: dict[str, str], answers: dict[str, str]) -> dict:
    walked = walk(RULES, symptoms)
    following = question_next(rules=RULES, answers=answers)
    return {
        "asked": list(walked),
        "walked": selfcheck_evaluate(
            rules=RULES, answers=walked, doctor_first=DOCTOR_FIRST
        ).as_dict(),
        "next": following.id if following else None,
        "progress": list(progress(rules=RULES, answers=answers)),
        "outcome": selfcheck_evaluate(
            rules=RULES, answers=answers, doctor_first=DOCTOR_FIRST
        ).as_dict(),
    }


def random_cases(count: int) -> list[dict]:
    """Answer sets of every size and mix, fixed by the seed so a failure can be replayed."""
    rng = random.Random(20261124)
    ids = [q.id for q in RULES.questions]
    cases = []
    for _ in range(count):
        chosen = rng.sample(ids, rng.randint(0, len(ids)))
        answers = {question_id: rng.choice(ANSWERS) for question_id in chosen}
        symptoms = {question_id: rng.choice(ANSWERS) for question_id in ids}
        cases.append({"symptoms": symptoms, "answers": answers})
    return cases


def test_python_and_javascript_evaluators_agree_on_every_profile_and_400_random_sets() -> None:
    assert NODE, "node runs the browser's evaluator: `make test` installs it (make node)"
    cases = [{"symptoms": p.symptoms, "answers": walk(RULES, p.symptoms)} for p in PROFILES]
    cases += random_cases(400)
    payload = {"rules": RULES.as_json(), "doctor_first": DOCTOR_FIRST, "cases": cases}

    result = subprocess.run(
        [NODE, "--input-type=module", "-e", RUNNER, str(SCRIPT)],
        input=json.dumps(payload),
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    from_js = json.loads(result.stdout)

    assert len(from_js) == len(cases)
    for case, js in zip(cases, from_js, strict=True):
        assert js == python_side(case["symptoms"], case["answers"]), case
    # The profiles really exercised the interesting parts.
    outcomes = [js["walked"] for js in from_js[: len(PROFILES)]]
    assert any(o["red_flags"] for o in outcomes)
    assert any(c["routines"] for o in outcomes for c in o["conditions"])
