// The guided session as a pure state machine: what a session is, what each tap or tick
// does to it, and what it adds up to. No page, no storage, no clock of its own: the time
// comes in with every event, so the tests (tests/js/session.test.js) can play a whole
// routine in microseconds, and the view (player.js) only draws and stores what it returns.
//
// A state is plain data (it goes to IndexedDB as it is, for Resume):
//   phase      "work" | "rest" | "feedback" | "hurt" | "summary"
//   item, set, side ("left" | "right" | null), reps (taps in this set)
//   phaseStart when this phase (or set) began, pausedAt when paused (else null)
//   results    one entry per exercise reached: sets_done, reps, seconds, skipped, pain, effort
// Timers are differences of wall-clock times, never counted ticks: a locked phone or a
// background tab cannot make them drift.

export const GET_READY_MS = 3000; // before a hold starts counting
// A rest that ended while nobody watched (phone locked): the next hold starts when the
// person is back, not when the rest ended.
export const LATE_MS = 5000;
// The answers the server accepts (training.models SkipReason and Effort); their words come
// with the plan (plan.labels), from the same choices.
export const SKIP_REASONS = ["hurt", "no-equipment", "no-time"];
export const EFFORTS = ["easy", "right", "hard"];

export const isHold = (item) => Boolean(item.hold_seconds);
export const isTimed = (item) => Boolean(item.hold_seconds || item.minutes);
export const workMs = (item) => (item.hold_seconds ? item.hold_seconds * 1000 : item.minutes * 60000);
export const readyMs = (item) => (isHold(item) ? GET_READY_MS : 0);
const firstSide = (item) => (item.exercise.per_side ? "left" : null);

export function newSession(plan, { id, now }) {
  return {
    id,
    routine: plan.routine,
    version: plan.version,
    title: plan.title,
    items: plan.items, // the version being played, kept so Resume never changes it
    startedAt: now,
    endedAt: null,
    item: 0,
    set: 1,
    side: firstSide(plan.items[0]),
    phase: "work",
    phaseStart: now,
    pausedAt: null,
    reps: 0,
    results: [],
  };
}

export const current = (state) => state.items[state.item];
export const isPlaying = (state) =>
  !state.pausedAt && ["work", "rest", "feedback", "hurt"].includes(state.phase);
export const atStart = (state) => state.item === 0 && state.set === 1 && state.side !== "right";

// Apply one event; returns the new state (the old one is left as it was) and the effects
// the view should carry out: "cue" (a beep or buzz: a set or a rest is over) and
// "finished" (the last exercise is done: keep the session's log now).
export function apply(state, event, now) {
  const next = structuredClone(state);
  const effects = [];
  const machine = { state: next, now, effects };
  const handler = HANDLERS[event.type];
  if (!handler) throw new Error(`Unknown player event "${event.type}"`);
  handler(machine, event);
  return { state: next, effects };
}

const HANDLERS = {
  tap: (m) => {
    if (m.state.phase !== "work" || isTimed(current(m.state))) return;
    m.state.reps += 1;
    if (m.state.reps >= current(m.state).reps) completeSet(m, m.now);
  },
  done: (m) => {
    if (m.state.phase === "work") completeSet(m, m.now);
  },
  tick: (m) => tick(m),
  "skip-rest": (m) => {
    if (m.state.phase !== "rest") return;
    m.effects.push("cue");
    nextSet(m, m.now);
  },
  pause: (m) => {
    if (!m.state.pausedAt && isPlaying(m.state)) m.state.pausedAt = m.now;
  },
  unpause: (m) => {
    if (!m.state.pausedAt) return;
    // Shift the phase start by the pause so the timer carries on where it stopped.
    m.state.phaseStart += m.now - m.state.pausedAt;
    m.state.pausedAt = null;
  },
  back: (m) => back(m),
  skip: (m, { reason }) => {
    if (!SKIP_REASONS.includes(reason)) throw new Error(`Unknown skip reason "${reason}"`);
    const entry = result(m.state);
    entry.skipped = true;
    entry.skip_reason = reason;
    // Skipped because it hurt: the advice first (as the check-in would give it), then on.
    if (reason === "hurt") enter(m, "hurt");
    else nextExercise(m);
  },
  pain: (m, { value }) => {
    if (m.state.phase !== "feedback") return;
    if (!Number.isInteger(value) || value < 0 || value > 10) throw new Error(`Pain ${value}?`);
    result(m.state).pain = value;
  },
  effort: (m, { value }) => {
    if (m.state.phase !== "feedback") return;
    if (!EFFORTS.includes(value)) throw new Error(`Unknown effort "${value}"`);
    result(m.state).effort = value;
  },
  // "Next" on How did that feel? (needs a pain answer) and on the advice after a skip.
  next: (m) => {
    if (m.state.phase === "hurt" || (m.state.phase === "feedback" && result(m.state).pain != null)) {
      nextExercise(m);
    }
  },
  // Back at the same set, from its start; a rest that was under way is over.
  resume: (m) => {
    m.state.pausedAt = null;
    if (m.state.phase === "rest") nextSet(m, m.now);
    else enter(m, m.state.phase);
  },
};

function enter(m, phase, start = m.now) {
  m.state.phase = phase;
  m.state.phaseStart = start;
  m.state.pausedAt = null;
}

function result(state) {
  const item = current(state);
  let entry = state.results.find((r) => r.position === item.position);
  if (!entry) {
    entry = { position: item.position, exercise: item.exercise.slug, sets_done: 0 };
    state.results.push(entry);
  }
  return entry;
}

// A set (or one side of it) is done: count it, then rest, switch sides or ask how it felt.
function completeSet(m, endedAt) {
  const { state } = m;
  const item = current(state);
  const entry = result(state);
  if (isTimed(item)) {
    const planned = workMs(item) / 1000;
    const took = Math.round((endedAt - state.phaseStart - readyMs(item)) / 1000);
    entry.seconds = (entry.seconds || 0) + Math.max(0, Math.min(planned, took));
  } else {
    entry.reps = (entry.reps || 0) + state.reps;
  }
  state.reps = 0;
  m.effects.push("cue");
  if (state.side === "left") {
    state.side = "right";
    enter(m, "work", endedAt);
    return;
  }
  entry.sets_done = state.set;
  if (state.set < item.sets) {
    if (item.rest_seconds) enter(m, "rest", endedAt);
    else nextSet(m, endedAt);
  } else {
    enter(m, "feedback");
  }
}

function nextSet(m, startedAt) {
  m.state.set += 1;
  m.state.side = firstSide(current(m.state));
  enter(m, "work", startedAt);
}

function nextExercise(m) {
  const { state } = m;
  if (state.item + 1 >= state.items.length) {
    state.endedAt = m.now;
    enter(m, "summary");
    m.effects.push("finished");
    return;
  }
  state.item += 1;
  state.set = 1;
  state.side = firstSide(current(state));
  state.reps = 0;
  enter(m, "work");
}

function back(m) {
  const { state } = m;
  if (state.phase !== "work" || atStart(state)) return;
  if (state.side === "right") {
    state.side = "left";
  } else if (state.set > 1) {
    state.set -= 1;
    state.side = current(state).exercise.per_side ? "right" : null;
  } else {
    state.item -= 1;
    state.set = current(state).sets;
    state.side = current(state).exercise.per_side ? "right" : null;
  }
  state.reps = 0;
  // Redoing a set replaces it rather than adding to it.
  const entry = state.results.find((r) => r.position === current(state).position);
  if (entry) {
    entry.sets_done = Math.min(entry.sets_done, state.set - 1);
    delete entry.skipped;
    delete entry.skip_reason;
  }
  enter(m, "work");
}

function tick(m) {
  const { state, now } = m;
  if (state.pausedAt) return;
  const item = current(state);
  if (state.phase === "rest") {
    const end = state.phaseStart + item.rest_seconds * 1000;
    if (now >= end) {
      m.effects.push("cue");
      nextSet(m, now - end > LATE_MS ? now : end);
    }
  } else if (state.phase === "work" && isTimed(item)) {
    const end = state.phaseStart + readyMs(item) + workMs(item);
    if (now >= end) completeSet(m, end);
  }
}

// What the dial shows now: a label, the time left (ms) and how much of the ring is left.
export function dial(state, now) {
  const item = current(state);
  const at = state.pausedAt ?? now;
  const elapsed = at - state.phaseStart;
  if (state.phase === "rest") {
    const total = item.rest_seconds * 1000;
    return { label: "Rest", left: Math.max(0, total - elapsed), fraction: 1 - elapsed / total };
  }
  if (state.phase !== "work" || !isTimed(item)) return null;
  const ready = readyMs(item);
  if (elapsed < ready) return { label: "Get ready", left: ready - elapsed, fraction: 1, ready: true };
  const left = Math.max(0, workMs(item) - (elapsed - ready));
  return { label: isHold(item) ? "Hold" : "Keep going", left, fraction: left / workMs(item) };
}

// "45", "1:05": whole seconds, rounded up (a timer reads 1 until it is over).
export function clockText(ms) {
  const seconds = Math.ceil(ms / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}` : String(seconds);
}

const done = (r) => !r.skipped && r.sets_done > 0;

// Something to show for it: at least one exercise with at least one set done.
export const somethingDone = (state) => state.results.some(done);

// A session is kept (on the phone, and sent to the clinic) when something was done, or an
// exercise was skipped because it hurt: the clinician needs to see that. A session of
// nothing but "no time" skips is not a session.
export const worthKeeping = (state) =>
  somethingDone(state) || state.results.some((r) => r.skip_reason === "hurt");

// The summary, in the words of `labels` ({skip_reasons: {hurt: "it hurt"}, efforts: {right:
// "about right"}}: "Towel scrunches: pain 3/10, about right effort".
export function summary(state, labels) {
  const name = (r) => state.items.find((i) => i.position === r.position).exercise.name;
  const pains = state.results.filter((r) => r.pain != null).map((r) => r.pain);
  return {
    complete: somethingDone(state),
    minutes: Math.max(1, Math.round(((state.endedAt ?? state.startedAt) - state.startedAt) / 60000)),
    done: state.results.filter(done).length,
    total: state.items.length,
    skipped: state.results.filter((r) => r.skipped).length,
    mostPain: pains.length ? Math.max(...pains) : null,
    lines: state.results.map((r) =>
      r.skipped
        ? `${name(r)}: skipped (${labels.skip_reasons[r.skip_reason]})`
        : `${name(r)}: pain ${r.pain ?? "–"}/10${r.effort ? `, ${labels.efforts[r.effort]} effort` : ""}`,
    ),
  };
}

// The log the server keeps (POST /api/v1/sessions, upserted by client_id).
export function sessionLog(state) {
  return {
    client_id: state.id,
    routine: state.routine,
    version: state.version,
    started_at: new Date(state.startedAt).toISOString(),
    ended_at: new Date(state.endedAt).toISOString(),
    exercises: state.results.map((r) => ({
      position: r.position,
      exercise: r.exercise,
      sets_done: r.sets_done || 0,
      sets_planned: state.items.find((i) => i.position === r.position).sets,
      reps: r.reps ?? null,
      seconds: r.seconds ?? null,
      skipped: Boolean(r.skipped),
      skip_reason: r.skip_reason || null,
      pain: r.pain ?? null,
      effort: r.effort || null,
    })),
  };
}

// The bar across the top: exercises behind us, out of all of them.
export const progressShare = (state) => (state.item + (state.phase === "summary" ? 1 : 0)) / state.items.length;
