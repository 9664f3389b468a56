// The session being played: draws the session (session.js, the pure state machine) into
// the page's <template>s, turns taps and the clock into its events, and carries out what
// it asks for: cues, the screen kept awake, the state kept for Resume (db.js "progress",
// at every step), and the log kept the moment the last exercise is done, on the phone
// ("history") and, for a logged-in person, in the outbox, which delivers it to the server
// exactly once (upserted by its UUID). Finish only leaves.
//
// Loaded by player.js when a session starts or resumes, not with the page.
import { cue, tapped } from "./cues.js";
import { store } from "./db.js";
import { currentOwner, outbox } from "./outbox.js";
import * as session from "./session.js";
import { keepAwake } from "./wake-lock.js";

const TICK_MS = 250;

export function play(root, plan, saved) {
  const stage = root.querySelector(".player-stage");
  const bar = root.querySelector(".player-progress span");
  const progress = store("progress");
  let state = saved;
  let screen = null;
  let timer = null;

  // ---- events in, effects out ----------------------------------------------------------
  function dispatch(event) {
    const before = state;
    const outcome = session.apply(state, event, Date.now());
    state = outcome.state;
    if (outcome.effects.includes("cue")) cue();
    // Every change is kept for Resume; a tick that changed nothing is not worth a write.
    if (event.type !== "tick" || !sameScreen(before, state)) progress.put(state, plan.routine).catch(() => undefined);
    if (outcome.effects.includes("finished")) keep(state);
    // Resume leaves the state where it was, but the start screen is still up.
    if (event.type !== "resume" && sameScreen(before, state)) update();
    else render();
  }

  // A tap or a tick within one set changes numbers, not the screen: no redraw, no refocus.
  const sameScreen = (a, b) =>
    a.phase === b.phase && a.item === b.item && a.set === b.set && a.side === b.side && a.pausedAt === b.pausedAt;

  // ---- drawing -------------------------------------------------------------------------
  const fromTemplate = (id) => document.getElementById(id).content.firstElementChild.cloneNode(true);
  const fragment = (id) => document.getElementById(id).content.cloneNode(true);
  const slot = (name, node = screen) => node?.querySelector(`[data-slot="${name}"]`);
  function show(name, text) {
    const el = slot(name);
    if (el && el.textContent !== text) el.textContent = text;
  }

  function mount(node) {
    screen = node;
    stage.replaceChildren(node);
    // Move focus to the new screen's heading so screen readers announce it.
    const heading = node.querySelector("h1");
    if (heading) {
      heading.tabIndex = -1;
      heading.focus({ preventScroll: true });
    }
  }

  function render() {
    const playing = session.isPlaying(state);
    keepAwake(playing);
    // The update bar (update-bar.js) never swaps in a new app version while this is set.
    root.toggleAttribute("data-session-active", playing);
    bar.style.width = `${Math.round(session.progressShare(state) * 100)}%`;
    const draw = state.pausedAt ? drawPaused : DRAW[state.phase];
    mount(draw());
    clearInterval(timer);
    if (playing && (state.phase === "rest" || (state.phase === "work" && session.isTimed(session.current(state))))) {
      timer = setInterval(() => dispatch({ type: "tick" }), TICK_MS);
    }
    update();
  }

  // The numbers of the screen that is up: reps, the dial.
  function update() {
    show("taps", String(state.reps));
    const dial = session.dial(state, Date.now());
    if (!dial) return;
    if (state.phase === "work") show("label", dial.label);
    show("value", dial.ready ? String(Math.ceil(dial.left / 1000)) : session.clockText(dial.left));
    const fraction = Math.max(0, Math.min(1, dial.fraction));
    screen.querySelector(".ring-bar")?.setAttribute("stroke-dashoffset", String(100 - fraction * 100));
  }

  function drawWork() {
    const item = session.current(state);
    const node = fromTemplate("tpl-work");
    slot("count", node).textContent = `Exercise ${state.item + 1} of ${state.items.length}`;
    slot("name", node).textContent = item.exercise.name;
    // "Hold 3 of 10" reads better than "Set 3 of 10" for ten ten-second holds.
    slot("set", node).textContent = `${session.isHold(item) ? "Hold" : "Set"} ${state.set} of ${item.sets}`;
    slot("side", node).textContent = state.side ? `${state.side === "left" ? "Left" : "Right"} side` : "";
    const figure = item.exercise.illustration?.animated;
    if (figure) {
      const img = new Image(figure.width, figure.height);
      img.src = figure.url;
      img.alt = item.exercise.illustration.alt || item.exercise.name;
      slot("figure", node).append(img);
    }
    for (const text of item.exercise.cues) slot("cues", node).append(listItem(text));
    const main = slot("main", node);
    if (session.isTimed(item)) {
      main.append(fragment("tpl-timer"));
      slot("done-button", main).textContent = session.isHold(item) ? "Done early" : "Finished";
    } else {
      main.append(fragment("tpl-reps"));
      slot("target", main).textContent = `of ${item.reps}`;
    }
    node.querySelector('[data-action="back"]').disabled = session.atStart(state);
    return node;
  }

  function drawRest() {
    const node = fromTemplate("tpl-rest");
    const item = session.current(state);
    slot("next", node).textContent = `${item.exercise.name}, set ${state.set + 1} of ${item.sets}`;
    return node;
  }

  function drawPaused() {
    const node = fromTemplate("tpl-paused");
    const item = session.current(state);
    slot("where", node).textContent = `${item.exercise.name} · set ${state.set} of ${item.sets}`;
    slot("exit", node).href = plan.routine_url;
    return node;
  }

  function drawFeedback() {
    const node = fromTemplate("tpl-feedback");
    slot("name", node).textContent = session.current(state).exercise.name;
    return node;
  }

  // Skipped because it hurt: the advice the morning check-in gives for pain above the limit.
  function drawHurt() {
    const node = fromTemplate("tpl-hurt");
    slot("name", node).textContent = session.current(state).exercise.name;
    return node;
  }

  function drawSummary() {
    const node = fromTemplate("tpl-summary");
    const sum = session.summary(state, plan.labels);
    // "Session complete" only when something was done.
    slot("title", node).textContent = sum.complete ? "Session complete" : "Nothing done this time";
    slot("time", node).textContent = `${sum.minutes} min`;
    slot("done", node).textContent = `${sum.done} of ${sum.total}`;
    slot("skipped", node).textContent = String(sum.skipped);
    slot("pain", node).textContent = sum.mostPain == null ? "–" : `${sum.mostPain}/10`;
    for (const line of sum.lines) slot("list", node).append(listItem(line));
    slot("saved", node).textContent = state.kept ?? "Saving…";
    return node;
  }

  const DRAW = { work: drawWork, rest: drawRest, feedback: drawFeedback, hurt: drawHurt, summary: drawSummary };

  function listItem(text) {
    const li = document.createElement("li");
    li.textContent = text;
    return li;
  }

  // ---- keeping the session: on the phone, and for the clinic once there is a connection --
  async function keep(finished) {
    const message = await keepSession(root, plan, finished);
    if (state?.id !== finished.id || state.phase !== "summary") return;
    state = { ...state, kept: message };
    const saved = slot("saved");
    if (!saved) return;
    saved.textContent = `${message} `;
    if (session.worthKeeping(finished)) {
      const link = document.createElement("a");
      link.href = root.dataset.historyUrl;
      link.textContent = "See your sessions";
      saved.append(link);
    }
  }

  // ---- what the buttons do ---------------------------------------------------------------
  const actions = {
    resume: () => dispatch({ type: "resume" }),
    tap: () => {
      tapped();
      dispatch({ type: "tap" });
    },
    done: () => dispatch({ type: "done" }),
    "skip-rest": () => dispatch({ type: "skip-rest" }),
    pause: () => dispatch({ type: "pause" }),
    unpause: () => dispatch({ type: "unpause" }),
    back: () => dispatch({ type: "back" }),
    // Asking why is a screen of the view: the session goes on only once a reason is given.
    skip: () => {
      clearInterval(timer);
      const node = fromTemplate("tpl-skip");
      slot("name", node).textContent = session.current(state).exercise.name;
      mount(node);
    },
    "skip-reason": (button) => dispatch({ type: "skip", reason: button.dataset.reason }),
    "skip-cancel": () => render(),
    pain: (button) => {
      const value = Number(button.dataset.pain);
      dispatch({ type: "pain", value });
      pressOnly(button);
      const warning = slot("warning");
      warning.hidden = value <= plan.pain_limit;
      if (!warning.hidden) warning.scrollIntoView({ block: "nearest" });
      screen.querySelector('[data-action="feedback-next"]').disabled = false;
    },
    effort: (button) => {
      dispatch({ type: "effort", value: button.dataset.effort });
      pressOnly(button);
    },
    "feedback-next": () => dispatch({ type: "next" }),
    "hurt-next": () => dispatch({ type: "next" }),
    // The log was kept when the last exercise was done: Finish only leaves.
    finish: () => location.assign(root.dataset.historyUrl),
  };

  function pressOnly(button) {
    for (const other of button.parentElement.querySelectorAll("[aria-pressed]")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
  }

  function onVisibility() {
    if (!state) return;
    // The browser drops the wake lock when the page hides; take it again when it is back,
    // and catch up with the clock (a rest may have ended meanwhile).
    if (document.visibilityState === "visible" && session.isPlaying(state)) keepAwake(true);
    if (state.phase !== "summary") dispatch({ type: "tick" });
  }
  document.addEventListener("visibilitychange", onVisibility);

  progress.put(state, plan.routine).catch(() => undefined);
  render();

  return {
    // A button of the session's screens; false when it is not one of them.
    action(name, button) {
      if (!actions[name]) return false;
      actions[name](button);
      return true;
    },
    // Left by a boosted navigation: stop the clock, so it cannot write over a new session.
    stop() {
      clearInterval(timer);
      document.removeEventListener("visibilitychange", onVisibility);
      keepAwake(false);
      state = null;
    },
  };
}

// Keep a finished session: on the phone, and in the outbox for a logged-in person; forget
// its progress. Returns what to tell the person. Also for a session found finished but not
// kept (the app closed right at the end): the history and the outbox are keyed by the
// session's UUID, so keeping it again is never a second copy.
export async function keepSession(root, plan, finished) {
  let message = "Nothing was kept: no exercise was done.";
  if (session.worthKeeping(finished)) {
    const log = session.sessionLog(finished);
    const names = Object.fromEntries(finished.items.map((i) => [i.exercise.slug, i.exercise.name]));
    // anonymous: played with no account; sign-up offers these to the new one (keep-sessions.js).
    const anonymous = !currentOwner();
    await store("history").put({ ...log, title: finished.title, names, anonymous });
    message = "Saved on this phone.";
    if (currentOwner()) {
      // The shared outbox keeps it until the server has it (the server upserts by UUID).
      const outcome = await outbox.deliver({ url: root.dataset.sessionsUrl, body: log, label: `Session: ${finished.title}` });
      const reason = (outcome.error?.detail || "unknown reason").replace(/\.$/, "");
      message =
        { sent: "Saved.", queued: "Saved on this phone — will sync." }[outcome.state] ??
        `Kept on this phone, but the server did not accept it: ${reason}.`;
    }
  }
  await store("progress").delete(plan.routine).catch(() => undefined);
  return message;
}
