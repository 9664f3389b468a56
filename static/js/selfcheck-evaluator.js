// The self-check's evaluator in the browser, for when there is no signal: pure functions
// of (rules, answers), a line-by-line port of selfcheck/evaluator.py. The two must decide
// alike: tests/selfcheck/test_parity.py runs both on the same answers. Change one, change
// both. The page that uses it offline is selfcheck.js.
const URGENCY_ORDER = ["emergency", "today"];
const ANSWERS = ["yes", "no", "unsure"];

export function answersCheck(rules, answers) {
  const known = new Set(rules.questions.map((q) => q.id));
  for (const [id, value] of Object.entries(answers)) {
    if (!known.has(id)) throw new Error(`There is no self-check question '${id}'.`);
    if (!ANSWERS.includes(value)) {
      throw new Error(`Answer '${id}' with yes, no or unsure (not '${value}').`);
    }
  }
  return answers;
}

// `pairs` is [[id, answer], ...] in the order answered: Back drops the last one.
export function answersStep(rules, pairs, question, answer, back) {
  let stepped = pairs.slice();
  if (back) {
    stepped.pop();
  } else if (question) {
    stepped = stepped.filter(([id]) => id !== question);
    stepped.push([question, answer]);
  }
  answersCheck(rules, Object.fromEntries(stepped));
  return stepped;
}

function applies(question, answers) {
  return Object.entries(question.ask_if).every(([ref, allowed]) =>
    allowed.includes(answers[ref]),
  );
}

// Uses up one of max_questions? (rules.py Question.counts)
const counts = (question) => question.red_flag === null && !question.screening;

function stillToAsk(rules, answers) {
  let budget =
    rules.max_questions - rules.questions.filter((q) => counts(q) && Object.hasOwn(answers, q.id)).length;
  const pending = [];
  for (const question of rules.questions) {
    if (Object.hasOwn(answers, question.id) || !applies(question, answers)) continue;
    if (counts(question)) {
      if (budget <= 0) continue;
      budget -= 1;
    }
    pending.push(question);
  }
  return pending;
}

export function questionNext(rules, answers) {
  return stillToAsk(rules, answers)[0] ?? null;
}

export function progress(rules, answers) {
  const answered = Object.keys(answers).length;
  const number = answered + 1;
  return [number, Math.max(number, answered + stillToAsk(rules, answers).length)];
}

function redFlags(rules, answers) {
  const hits = [];
  for (const question of rules.questions) {
    const flag = question.red_flag;
    const answer = answers[question.id];
    if (flag === null || answer === undefined) continue;
    if (answer === "yes") {
      hits.push({ id: question.id, urgency: flag.urgency, reason: flag.reason, answer });
    } else if (answer === "unsure") {
      hits.push({ id: question.id, urgency: "today", reason: flag.reason, answer });
    }
  }
  // Array.prototype.sort is stable, like Python's sorted: question order within a level.
  return hits.sort((a, b) => URGENCY_ORDER.indexOf(a.urgency) - URGENCY_ORDER.indexOf(b.urgency));
}

export function evaluate(rules, answers, doctorFirst) {
  const flags = redFlags(rules, answers);
  const seeDoctor = [];
  const scores = Object.fromEntries(rules.conditions.map((slug) => [slug, 0]));
  const because = Object.fromEntries(rules.conditions.map((slug) => [slug, []]));
  for (const question of rules.questions) {
    const answer = answers[question.id];
    const effect = answer === "yes" ? question.yes : answer === "no" ? question.no : null;
    if (!effect) continue;
    if (effect.see_doctor) seeDoctor.push({ id: question.id, reason: effect.see_doctor });
    const sentence = `You said ${effect.said}.` + (effect.note ? ` ${effect.note}` : "");
    for (const [slug, weight] of Object.entries(effect.weights)) {
      scores[slug] += weight;
      if (weight > 0) because[slug].push(sentence);
    }
  }
  const order = (slug) => rules.conditions.indexOf(slug);
  const ranked = rules.conditions
    .filter((slug) => scores[slug] > 0)
    .sort((a, b) => scores[b] - scores[a] || order(a) - order(b));
  return {
    red_flags: flags,
    conditions: ranked.map((slug) => ({
      slug,
      score: scores[slug],
      because: because[slug],
      routines: flags.length === 0 && seeDoctor.length === 0 && !doctorFirst.includes(slug),
    })),
    see_doctor: seeDoctor,
  };
}
