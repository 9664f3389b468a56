// The guided session's state machine (static/js/session.js), without a browser: whole
// routines played in a loop, and properties over many random sequences of taps, ticks,
// pauses, skips and backs.
import assert from "node:assert/strict";
import { test } from "node:test";

import * as session from "../../static/js/session.js";

const exercise = (slug, perSide = false) => ({ slug, name: slug, per_side: perSide, cues: [] });
const PLAN = {
  routine: "heel",
  version: 3,
  title: "Heel",
  pain_limit: 5,
  items: [
    { position: 1, exercise: exercise("hold"), sets: 3, hold_seconds: 10, rest_seconds: 30 },
    { position: 2, exercise: exercise("reps", true), sets: 2, reps: 5, rest_seconds: 0 },
    { position: 3, exercise: exercise("bike"), sets: 1, minutes: 2 },
  ],
};
const T0 = Date.UTC(2026, 11, 1, 6, 0);
const LABELS = {
  skip_reasons: { hurt: "it hurt", "no-equipment": "no equipment", "no-time": "no time" },
  efforts: { easy: "easy", right: "about right", hard: "hard" },
};

// Play events in order from `state`, the clock moving as each says; effects collected.
function play(state, events) {
  let now = state.startedAt;
  const effects = [];
  for (const { wait = 0, ...event } of events) {
    now += wait;
    const out = session.apply(state, event, now);
    state = out.state;
    effects.push(...out.effects);
  }
  return { state, effects, now };
}

// A seeded random number generator (mulberry32): the same failures every run.
function random(seed) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const pick = (rand, list) => list[Math.floor(rand() * list.length)];

// What a person might do on the screen that is up.
function someEvent(rand, state) {
  const common = [{ type: "tick" }, { type: "pause" }, { type: "unpause" }];
  switch (state.phase) {
    case "work":
      return pick(rand, [
        ...common,
        { type: "tap" },
        { type: "tap" },
        { type: "done" },
        { type: "back" },
        { type: "skip", reason: pick(rand, session.SKIP_REASONS) },
      ]);
    case "rest":
      return pick(rand, [...common, { type: "skip-rest" }]);
    case "feedback":
      return pick(rand, [
        { type: "pain", value: Math.floor(rand() * 11) },
        { type: "effort", value: pick(rand, session.EFFORTS) },
        { type: "next" },
      ]);
    case "hurt":
      return { type: "next" };
    default:
      return { type: "tick" };
  }
}

function randomSession(seed, steps = 400) {
  const rand = random(seed);
  let state = session.newSession(PLAN, { id: `s-${seed}`, now: T0 });
  let now = T0;
  const effects = [];
  const states = [state];
  for (let i = 0; i < steps && state.phase !== "summary"; i++) {
    now += Math.floor(rand() * 4000);
    const out = session.apply(state, someEvent(rand, state), now);
    state = out.state;
    effects.push(...out.effects);
    states.push(state);
  }
  return { state, effects, states, now };
}

test("a whole routine played straight through ends in a summary and one finished effect", () => {
  const start = session.newSession(PLAN, { id: "a", now: T0 });
  const { state, effects } = play(start, [
    // three 10 s holds after a 3 s get-ready, 30 s rests between them (ticks only)
    { type: "tick", wait: 13_000 },
    { type: "tick", wait: 30_000 },
    { type: "tick", wait: 13_000 },
    { type: "tick", wait: 30_000 },
    { type: "tick", wait: 13_000 },
    { type: "pain", value: 2 },
    { type: "effort", value: "right" },
    { type: "next" },
    // reps on each side, no rest between sets
    ...Array(20).fill({ type: "tap" }),
    { type: "pain", value: 3 },
    { type: "next" },
    { type: "tick", wait: 120_000 },
    { type: "pain", value: 1 },
    { type: "next" },
  ]);

  assert.equal(state.phase, "summary");
  assert.deepEqual(effects.filter((e) => e === "finished"), ["finished"]);
  const log = session.sessionLog(state);
  assert.deepEqual(
    log.exercises.map((e) => [e.exercise, e.sets_done, e.reps, e.seconds, e.pain, e.effort]),
    [
      ["hold", 3, null, 30, 2, "right"],
      ["reps", 2, 20, null, 3, null],
      ["bike", 1, null, 120, 1, null],
    ],
  );
  const sum = session.summary(state, LABELS);
  assert.equal(sum.complete, true);
  assert.equal(sum.done, 3);
  assert.equal(sum.mostPain, 3);
  assert.match(sum.lines[0], /about right effort/); // "right" is the effort, not a foot
});

test("a hold ends on the wall clock, however rarely the clock ticks", () => {
  for (const every of [100, 250, 1000, 7000, 13_000]) {
    let state = session.newSession(PLAN, { id: "b", now: T0 });
    let now = T0;
    while (state.phase === "work" && state.set === 1) {
      now += every;
      state = session.apply(state, { type: "tick" }, now).state;
    }
    assert.equal(state.phase, "rest");
    assert.equal(state.phaseStart, T0 + session.GET_READY_MS + 10_000, `ticking every ${every} ms`);
  }
});

test("a rest that ended long ago starts the next set now, not back then", () => {
  const { state } = play(session.newSession(PLAN, { id: "c", now: T0 }), [
    { type: "done", wait: 13_000 },
    { type: "tick", wait: 30_000 + session.LATE_MS + 60_000 },
  ]);
  assert.equal(state.set, 2);
  assert.equal(state.phaseStart, T0 + 13_000 + 30_000 + session.LATE_MS + 60_000);
});

test("nothing done: no 'Session complete', and only a pain skip is worth keeping", () => {
  const skipAll = (reason) =>
    play(session.newSession(PLAN, { id: "d", now: T0 }), [
      { type: "skip", reason },
      ...(reason === "hurt" ? [{ type: "next" }] : []),
      { type: "skip", reason: "no-time" },
      { type: "skip", reason: "no-equipment" },
    ]).state;

  for (const reason of ["no-time", "hurt"]) {
    const state = skipAll(reason);
    assert.equal(state.phase, "summary");
    assert.equal(session.summary(state, LABELS).complete, false);
    assert.equal(session.somethingDone(state), false);
    assert.equal(session.worthKeeping(state), reason === "hurt");
  }
});

test("a skip because it hurt stops on the advice before the next exercise", () => {
  const start = session.newSession(PLAN, { id: "e", now: T0 });
  let { state } = play(start, [{ type: "skip", reason: "hurt" }]);
  assert.equal(state.phase, "hurt");
  assert.equal(state.item, 0);
  assert.equal(session.isPlaying(state), true);
  state = session.apply(state, { type: "next" }, T0 + 1000).state;
  assert.equal([state.phase, state.item].join(), "work,1");
});

test("feedback needs a pain answer before Next", () => {
  let { state } = play(session.newSession({ ...PLAN, items: [PLAN.items[2]] }, { id: "f", now: T0 }), [
    { type: "done", wait: 60_000 },
  ]);
  assert.equal(state.phase, "feedback");
  state = session.apply(state, { type: "next" }, T0).state;
  assert.equal(state.phase, "feedback");
  assert.throws(() => session.apply(state, { type: "pain", value: 11 }, T0));
  assert.throws(() => session.apply(state, { type: "effort", value: "left" }, T0));
  state = session.apply(state, { type: "pain", value: 0 }, T0).state;
  const out = session.apply(state, { type: "next" }, T0);
  assert.equal(out.state.phase, "summary");
  assert.deepEqual(out.effects, ["finished"]);
});

test("a pause stops the dial where it was, and the time paused is not counted", () => {
  let { state } = play(session.newSession(PLAN, { id: "g", now: T0 }), [
    { type: "tick", wait: 8000 },
    { type: "pause" },
  ]);
  const frozen = session.dial(state, T0 + 8000);
  assert.deepEqual(session.dial(state, T0 + 8000 + 600_000), frozen);
  state = session.apply(state, { type: "tick" }, T0 + 900_000).state;
  assert.equal(state.phase, "work"); // no tick ends a paused hold
  state = session.apply(state, { type: "unpause" }, T0 + 900_000).state;
  assert.equal(session.dial(state, T0 + 900_000).left, frozen.left);
  state = session.apply(state, { type: "tick" }, T0 + 900_000 + frozen.left).state;
  assert.equal(state.phase, "rest");
});

test("apply never changes the state it is given", () => {
  const start = session.newSession(PLAN, { id: "h", now: T0 });
  const copy = structuredClone(start);
  session.apply(start, { type: "done" }, T0 + 13_000);
  session.apply(start, { type: "skip", reason: "hurt" }, T0);
  assert.deepEqual(start, copy);
});

test("Resume mid-rest starts the next set; Resume elsewhere restarts the set", () => {
  let { state } = play(session.newSession(PLAN, { id: "i", now: T0 }), [{ type: "done", wait: 13_000 }]);
  assert.equal(state.phase, "rest");
  const resumed = session.apply(state, { type: "resume" }, T0 + 86_400_000).state;
  assert.deepEqual([resumed.phase, resumed.set, resumed.phaseStart], ["work", 2, T0 + 86_400_000]);
});

// ---- properties, over many random sessions ---------------------------------------------

test("property: whatever is tapped, counts stay within what was planned", () => {
  for (let seed = 1; seed <= 300; seed++) {
    const { states } = randomSession(seed);
    for (const state of states) {
      assert.ok(state.item >= 0 && state.item < PLAN.items.length);
      const item = session.current(state);
      assert.ok(state.set >= 1 && state.set <= item.sets, `seed ${seed}: set ${state.set}`);
      assert.ok(state.side === null || item.exercise.per_side, `seed ${seed}: side`);
      for (const r of state.results) {
        const planned = PLAN.items.find((i) => i.position === r.position);
        assert.ok(r.sets_done >= 0 && r.sets_done <= planned.sets, `seed ${seed}: sets_done`);
        const sides = planned.exercise.per_side ? 2 : 1;
        if (r.seconds != null) {
          assert.ok(r.seconds <= (planned.hold_seconds || planned.minutes * 60) * planned.sets * sides);
        }
        if (r.pain != null) assert.ok(r.pain >= 0 && r.pain <= 10);
      }
    }
  }
});

test("property: a session finishes at most once, and its log matches its summary", () => {
  let ended = 0;
  for (let seed = 1; seed <= 300; seed++) {
    const { state, effects, now } = randomSession(seed, 2000);
    const finished = effects.filter((e) => e === "finished").length;
    assert.equal(finished, state.phase === "summary" ? 1 : 0, `seed ${seed}`);
    if (state.phase !== "summary") continue;
    ended += 1;
    // Nothing moves a finished session.
    for (const type of ["tick", "tap", "done", "back", "next", "skip-rest", "pause"]) {
      const out = session.apply(state, { type }, now + 1000);
      assert.deepEqual(out.effects, []);
      assert.equal(out.state.phase, "summary");
    }
    const log = session.sessionLog(state);
    const sum = session.summary(state, LABELS);
    assert.equal(log.client_id, `s-${seed}`);
    assert.equal(log.exercises.filter((e) => !e.skipped && e.sets_done > 0).length, sum.done);
    assert.equal(sum.complete, sum.done > 0);
    assert.ok(Date.parse(log.ended_at) >= Date.parse(log.started_at));
  }
  assert.ok(ended > 200, `only ${ended} of 300 random sessions reached the end`);
});

test("property: Back never goes before the start and a redone set is not counted twice", () => {
  for (let seed = 1; seed <= 100; seed++) {
    const rand = random(seed);
    let state = session.newSession(PLAN, { id: "j", now: T0 });
    let now = T0;
    for (let i = 0; i < 300 && state.phase !== "summary"; i++) {
      now += 2000;
      const event = rand() < 0.4 && state.phase === "work" ? { type: "back" } : someEvent(rand, state);
      const before = state;
      state = session.apply(state, event, now).state;
      if (event.type === "back" && session.atStart(before)) assert.deepEqual(state, before);
      for (const r of state.results.filter((x) => x.position === session.current(state).position)) {
        if (state.phase === "work") assert.ok(r.sets_done <= state.set - 1, `seed ${seed}`);
      }
    }
  }
});

test("the clock reads whole seconds, rounded up", () => {
  assert.equal(session.clockText(59_001), "1:00");
  assert.equal(session.clockText(59_000), "59");
  assert.equal(session.clockText(1), "1");
  assert.equal(session.clockText(65_000), "1:05");
});
