// Footing's guided session player: one small module, no framework.
//
// The page carries the routine version as JSON (the server renders everything else as
// <template>s); from then on the session runs on the phone, signal or not:
// - progress goes to IndexedDB at every step, so a reload, a crash or a killed app
//   offers Resume at the same set, on the same routine version;
// - timers are differences of wall-clock times (Date.now()), never counted ticks, so a
//   locked phone or a background tab cannot make them drift;
// - the finished log goes into the shared outbox, which delivers it to the server
//   exactly once (the server upserts by the log's UUID).
//
// A page module ([data-module="player"] on #player; see app.js). Its progress and history
// live in the shared IndexedDB database (db.js).
import { store } from "./db.js";
import { outbox } from "./outbox.js";

export function init(root) {
  const plan = JSON.parse(document.getElementById("player-data").textContent);
  const stage = root.querySelector(".player-stage");
  const bar = root.querySelector(".player-progress span");
  const GET_READY_MS = 3000;
  // After a rest that ended while nobody watched (phone locked), don't start counting
  // a hold nobody is doing: start it afresh when the person is back.
  const LATE_MS = 5000;

  // ---- storage ---------------------------------------------------------------------
  const progress = store("progress");
  const history = store("history");
  const progressKey = plan.routine;
  const saveProgress = () => progress.put(state, progressKey);
  const loadProgress = () => progress.get(progressKey);
  const dropProgress = () => progress.delete(progressKey);
  const keepInHistory = (log) => history.put(log);

  // ---- the session's state ---------------------------------------------------------
  let state = null;
  let timer = null;

  function newSession() {
    return {
      id: crypto.randomUUID(),
      routine: plan.routine,
      version: plan.version,
      title: plan.title,
      items: plan.items, // the version being played, kept so Resume never changes it
      startedAt: Date.now(),
      item: 0,
      set: 1,
      side: firstSide(plan.items[0]),
      phase: "work",
      phaseStart: Date.now(),
      pausedAt: null,
      reps: 0,
      results: [],
    };
  }

  const item = () => state.items[state.item];
  const firstSide = (it) => (it.exercise.per_side ? "left" : null);
  const isHold = (it) => Boolean(it.hold_seconds);
  const isMinutes = (it) => Boolean(it.minutes);
  const workMs = (it) => (it.hold_seconds ? it.hold_seconds * 1000 : it.minutes * 60000);
  const getReadyMs = (it) => (isHold(it) ? GET_READY_MS : 0);

  function result() {
    let entry = state.results.find((r) => r.position === item().position);
    if (!entry) {
      entry = { position: item().position, exercise: item().exercise.slug, sets_done: 0 };
      state.results.push(entry);
    }
    return entry;
  }

  // ---- transitions -----------------------------------------------------------------
  function enter(phase, start = Date.now()) {
    state.phase = phase;
    state.phaseStart = start;
    state.pausedAt = null;
    saveProgress();
    render();
  }

  // A set (or one side of it) is done: count it, then rest, switch sides or ask how it felt.
  function completeSet(endedAt = Date.now()) {
    const it = item();
    const entry = result();
    if (isHold(it) || isMinutes(it)) {
      const planned = workMs(it) / 1000;
      const took = Math.round((endedAt - state.phaseStart - getReadyMs(it)) / 1000);
      entry.seconds = (entry.seconds || 0) + Math.max(0, Math.min(planned, took));
    } else {
      entry.reps = (entry.reps || 0) + state.reps;
    }
    state.reps = 0;
    cue();
    if (state.side === "left") {
      state.side = "right";
      enter("work", endedAt);
      return;
    }
    entry.sets_done = state.set;
    if (state.set < it.sets) {
      if (it.rest_seconds) enter("rest", endedAt);
      else nextSet(endedAt);
    } else {
      enter("feedback");
    }
  }

  function nextSet(startedAt = Date.now()) {
    state.set += 1;
    state.side = firstSide(item());
    enter("work", startedAt);
  }

  function nextExercise() {
    if (state.item + 1 >= state.items.length) {
      state.endedAt = Date.now();
      enter("summary");
      return;
    }
    state.item += 1;
    state.set = 1;
    state.side = firstSide(item());
    state.reps = 0;
    enter("work");
  }

  function back() {
    if (state.side === "right") {
      state.side = "left";
    } else if (state.set > 1) {
      state.set -= 1;
      state.side = item().exercise.per_side ? "right" : null;
    } else if (state.item > 0) {
      state.item -= 1;
      state.set = item().sets;
      state.side = item().exercise.per_side ? "right" : null;
    }
    state.reps = 0;
    // Redoing a set replaces it rather than adding to it.
    const entry = state.results.find((r) => r.position === item().position);
    if (entry) entry.sets_done = Math.min(entry.sets_done, state.set - 1);
    enter("work");
  }

  function skip(reason) {
    const entry = result();
    entry.skipped = true;
    entry.skip_reason = reason;
    nextExercise();
  }

  function pause() {
    if (state.pausedAt) return;
    state.pausedAt = Date.now();
    saveProgress();
    render();
  }

  function unpause() {
    if (!state.pausedAt) return;
    // Shift the phase start by the pause so the timer carries on where it stopped.
    state.phaseStart += Date.now() - state.pausedAt;
    state.pausedAt = null;
    saveProgress();
    render();
  }

  // ---- the clock ---------------------------------------------------------------------
  function tick() {
    if (!state || state.pausedAt) return;
    const now = Date.now();
    const elapsed = now - state.phaseStart;
    const it = item();
    if (state.phase === "rest") {
      const end = state.phaseStart + it.rest_seconds * 1000;
      if (now >= end) {
        cue();
        nextSet(now - end > LATE_MS ? now : end);
        return;
      }
      show("value", clock(end - now));
      ring(1 - elapsed / (it.rest_seconds * 1000));
    } else if (state.phase === "work" && (isHold(it) || isMinutes(it))) {
      const ready = getReadyMs(it);
      if (elapsed < ready) {
        show("label", "Get ready");
        show("value", String(Math.ceil((ready - elapsed) / 1000)));
        ring(1);
        return;
      }
      const left = workMs(it) - (elapsed - ready);
      if (left <= 0) {
        completeSet(state.phaseStart + ready + workMs(it));
        return;
      }
      show("label", isHold(it) ? "Hold" : "Keep going");
      show("value", clock(left));
      ring(left / workMs(it));
    }
  }

  function startClock() {
    clearInterval(timer);
    timer = setInterval(tick, 250);
    tick();
  }

  const clock = (ms) => {
    const seconds = Math.ceil(ms / 1000);
    return seconds >= 60
      ? `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`
      : String(seconds);
  };

  // ---- cues: optional sound (off by default), vibration where the phone has it ---------
  let audio = null;
  let soundOn = localStorage.getItem("footing-sound") === "on";

  function cue() {
    navigator.vibrate?.(180);
    if (!soundOn) return;
    try {
      // A Web Audio beep mixes with the person's music instead of pausing it.
      audio = audio || new AudioContext();
      const tone = audio.createOscillator();
      const gain = audio.createGain();
      tone.frequency.value = 880;
      gain.gain.setValueAtTime(0.2, audio.currentTime);
      gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.15);
      tone.connect(gain).connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.16);
    } catch {
      soundOn = false;
    }
  }

  // ---- keep the screen awake while playing -----------------------------------------------
  let wakeLock = null;
  async function holdScreen(wanted) {
    try {
      if (wanted && !wakeLock && "wakeLock" in navigator && document.visibilityState === "visible") {
        wakeLock = await navigator.wakeLock.request("screen");
        wakeLock.addEventListener("release", () => (wakeLock = null));
      } else if (!wanted && wakeLock) {
        await wakeLock.release();
      }
    } catch {
      wakeLock = null; // refused (battery saver): the session still works
    }
  }
  function onVisibility() {
    // The browser drops the lock when the tab hides; take it again when it comes back.
    if (document.visibilityState === "visible" && state && isPlaying()) holdScreen(true);
    tick();
  }
  document.addEventListener("visibilitychange", onVisibility);
  const isPlaying = () => !state.pausedAt && ["work", "rest", "feedback"].includes(state.phase);

  // ---- rendering ---------------------------------------------------------------------------
  function fromTemplate(id) {
    return document.getElementById(id).content.firstElementChild.cloneNode(true);
  }
  function fragment(id) {
    return document.getElementById(id).content.cloneNode(true);
  }
  let screen = null;
  function mount(node) {
    screen = node;
    stage.replaceChildren(node);
  }
  function slot(name, node = screen) {
    return node.querySelector(`[data-slot="${name}"]`);
  }
  function show(name, text) {
    const el = screen && slot(name);
    if (el && el.textContent !== text) el.textContent = text;
  }
  function ring(fraction) {
    const bar = screen?.querySelector(".ring-bar");
    bar?.setAttribute("stroke-dashoffset", String(100 - Math.max(0, Math.min(1, fraction)) * 100));
  }

  function render() {
    holdScreen(isPlaying());
    // offline.js never swaps in a new app version while this is set.
    root.toggleAttribute("data-session-active", isPlaying());
    const done = state.item + (state.phase === "summary" ? 1 : 0);
    bar.style.width = `${Math.round((done / state.items.length) * 100)}%`;
    if (state.pausedAt) return renderPaused();
    ({ work: renderWork, rest: renderRest, feedback: renderFeedback, summary: renderSummary })[
      state.phase
    ]();
    // Move focus to the new screen's heading so screen readers announce it.
    const heading = screen.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  function renderWork() {
    const it = item();
    const node = fromTemplate("tpl-work");
    slot("count", node).textContent = `Exercise ${state.item + 1} of ${state.items.length}`;
    slot("name", node).textContent = it.exercise.name;
    // "Hold 3 of 10" reads better than "Set 3 of 10" for ten ten-second holds.
    slot("set", node).textContent = `${isHold(it) ? "Hold" : "Set"} ${state.set} of ${it.sets}`;
    slot("side", node).textContent = state.side ? `${state.side === "left" ? "Left" : "Right"} side` : "";
    const figure = it.exercise.illustration?.animated;
    if (figure) {
      const img = new Image(figure.width, figure.height);
      img.src = figure.url;
      img.alt = it.exercise.illustration.alt || it.exercise.name;
      slot("figure", node).append(img);
    }
    for (const text of it.exercise.cues) {
      const li = document.createElement("li");
      li.textContent = text;
      slot("cues", node).append(li);
    }
    const main = slot("main", node);
    if (isHold(it) || isMinutes(it)) {
      main.append(fragment("tpl-timer"));
      slot("done-button", main).textContent = isHold(it) ? "Done early" : "Finished";
    } else {
      main.append(fragment("tpl-reps"));
      slot("target", main).textContent = `of ${it.reps}`;
      slot("done", main).textContent = String(state.reps);
    }
    node.querySelector('[data-action="back"]').disabled =
      state.item === 0 && state.set === 1 && state.side !== "right";
    mount(node);
    startClock();
  }

  function renderRest() {
    const node = fromTemplate("tpl-rest");
    const it = item();
    slot("next", node).textContent = `${it.exercise.name}, set ${state.set + 1} of ${it.sets}`;
    mount(node);
    startClock();
  }

  function renderPaused() {
    clearInterval(timer);
    const node = fromTemplate("tpl-paused");
    slot("where", node).textContent = `${item().exercise.name} · set ${state.set} of ${item().sets}`;
    slot("exit", node).href = plan.routine_url;
    mount(node);
  }

  function renderFeedback() {
    clearInterval(timer);
    const node = fromTemplate("tpl-feedback");
    slot("name", node).textContent = item().exercise.name;
    mount(node);
  }

  function renderSummary() {
    clearInterval(timer);
    const node = fromTemplate("tpl-summary");
    const done = state.results.filter((r) => !r.skipped && r.sets_done > 0);
    const skipped = state.results.filter((r) => r.skipped);
    const pains = state.results.filter((r) => r.pain != null).map((r) => r.pain);
    slot("time", node).textContent = `${Math.max(1, Math.round((state.endedAt - state.startedAt) / 60000))} min`;
    slot("done", node).textContent = `${done.length} of ${state.items.length}`;
    slot("skipped", node).textContent = String(skipped.length);
    slot("pain", node).textContent = pains.length ? `${Math.max(...pains)}/10` : "–";
    for (const r of state.results) {
      const li = document.createElement("li");
      const name = state.items.find((i) => i.position === r.position).exercise.name;
      li.textContent = r.skipped
        ? `${name}: skipped (${{ hurt: "it hurt", "no-equipment": "no equipment", "no-time": "no time" }[r.skip_reason]})`
        : `${name}: pain ${r.pain ?? "–"}/10${r.effort ? `, ${r.effort}` : ""}`;
      slot("list", node).append(li);
    }
    mount(node);
  }

  // ---- finishing: keep it on the phone, and send it when there is a connection --------------
  function sessionLog() {
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

  async function finish(button) {
    button.disabled = true;
    const log = sessionLog();
    const names = Object.fromEntries(state.items.map((i) => [i.exercise.slug, i.exercise.name]));
    await keepInHistory({ ...log, title: state.title, names });
    let message = "Saved on this phone.";
    if (root.dataset.loggedIn === "true") {
      // The shared outbox keeps it until the server has it (the server upserts by UUID).
      const outcome = await outbox.deliver({
        url: root.dataset.sessionsUrl,
        body: log,
        label: `Session: ${state.title}`,
      });
      const reason = (outcome.error?.detail || "unknown reason").replace(/\.$/, "");
      message =
        { sent: "Saved.", queued: "Saved on this phone — will sync." }[outcome.state] ??
        `Kept on this phone, but the server did not accept it: ${reason}.`;
    }
    await dropProgress();
    state = null;
    const saved = slot("saved");
    saved.textContent = message + " ";
    const link = document.createElement("a");
    link.href = root.dataset.historyUrl;
    link.textContent = "See your sessions";
    saved.append(link);
    holdScreen(false);
    root.removeAttribute("data-session-active");
  }

  // ---- what the buttons do ------------------------------------------------------------------
  const actions = {
    start: () => {
      state = newSession();
      enter("work");
    },
    resume: () => {
      // Back at the same set, from its start; a rest that was under way is over.
      if (state.phase === "rest") nextSet();
      else enter(state.phase);
    },
    restart: async () => {
      await dropProgress();
      state = newSession();
      enter("work");
    },
    tap: () => {
      state.reps += 1;
      show("done", String(state.reps));
      navigator.vibrate?.(30);
      saveProgress();
      if (state.reps >= item().reps) completeSet();
    },
    done: () => completeSet(),
    "skip-rest": () => {
      cue();
      nextSet();
    },
    pause,
    unpause,
    back,
    skip: () => {
      clearInterval(timer);
      const node = fromTemplate("tpl-skip");
      slot("name", node).textContent = item().exercise.name;
      mount(node);
    },
    "skip-reason": (button) => skip(button.dataset.reason),
    "skip-cancel": () => render(),
    pain: (button) => {
      result().pain = Number(button.dataset.pain);
      pressOnly(button);
      slot("warning").hidden = result().pain <= 5;
      screen.querySelector('[data-action="feedback-next"]').disabled = false;
      saveProgress();
    },
    effort: (button) => {
      result().effort = button.dataset.effort;
      pressOnly(button);
      saveProgress();
    },
    "feedback-next": () => nextExercise(),
    finish: (button) => finish(button),
    sound: (button) => {
      soundOn = !soundOn;
      localStorage.setItem("footing-sound", soundOn ? "on" : "off");
      button.setAttribute("aria-pressed", String(soundOn));
      if (soundOn) cue();
    },
  };

  function pressOnly(button) {
    for (const other of button.parentElement.querySelectorAll("[aria-pressed]")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
  }

  root.addEventListener("click", (event) => {
    const button = event.target.closest("[data-action]");
    if (!button || !root.contains(button)) return;
    const action = actions[button.dataset.action];
    if (action) {
      event.preventDefault();
      action(button);
    }
  });

  // ---- start: offer Resume when a session of this routine was left unfinished ---------------
  (async () => {
    const soundButton = root.querySelector('[data-action="sound"]');
    soundButton.setAttribute("aria-pressed", String(soundOn));
    const saved = await loadProgress().catch(() => null);
    if (saved && saved.phase !== "summary") {
      state = saved;
      const box = root.querySelector(".player-resume");
      box.querySelector(".player-resume-text").textContent =
        `You stopped at ${item().exercise.name}, set ${state.set} of ${item().sets}` +
        (state.version !== plan.version ? ` (version ${state.version} of this routine).` : ".");
      box.hidden = false;
      root.querySelector('[data-action="start"]').textContent = "Start a new session";
    }
    root.querySelector('[data-action="start"]').disabled = false;
  })();

  // Left by a boosted navigation: stop the clock, so it cannot write over a new session.
  return () => {
    clearInterval(timer);
    document.removeEventListener("visibilitychange", onVisibility);
    holdScreen(false);
    state = null;
  };
}
