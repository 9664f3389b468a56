// The guided session player's page module ([data-module="player"] on #player; app.js).
//
// The page carries the routine version as JSON (#player-data); from then on the session
// runs on the phone, signal or not. This module is the start screen: it offers Resume
// when a session of this routine was left unfinished (a reload, a crash, a killed app),
// and loads the session itself (player-view.js, session.js, player-session.css) when one
// starts. Start waits for the red-flag stop's answer ({% triage_gate %} on the page): a
// warning sign in today's check-in shows the stop instead, and no session starts.
import { setSound, soundEnabled } from "./cues.js";
import { store } from "./db.js";
import { currentOwner } from "./outbox.js";

// The running session's styles: on Start or Resume, not in the page's first load.
function sessionStyles(root) {
  const href = root.dataset.sessionCss;
  let link = document.head.querySelector(`link[href="${href}"]`);
  if (link?.sheet) return Promise.resolve();
  if (!link) {
    link = Object.assign(document.createElement("link"), { rel: "stylesheet", href });
    document.head.append(link);
  }
  return new Promise((resolve) => {
    link.addEventListener("load", resolve, { once: true });
    link.addEventListener("error", resolve, { once: true });
  });
}

// Settles once the stop knows whether today has a red flag (at once if the page has none).
function redFlagChecked() {
  const gate = document.querySelector(".triage-gate[data-module]");
  if (!gate) return Promise.resolve();
  return import("./triage-gate.js")
    .then((triageGate) => triageGate.start(gate))
    .catch(() => undefined);
}

export function init(root) {
  const plan = JSON.parse(document.getElementById("player-data").textContent);
  const progress = store("progress");
  let saved = null;
  let playing = null;
  let stopped = false;
  let starting = false;

  async function play(state) {
    if (starting) return; // a second tap while the session loads
    starting = true;
    const [view, session] = await Promise.all([
      import("./player-view.js"),
      import("./session.js"),
      sessionStyles(root),
    ]);
    if (stopped) return;
    state ??= session.newSession(plan, { id: crypto.randomUUID(), now: Date.now() });
    playing = view.play(root, plan, state);
    if (saved && state === saved) playing.action("resume");
  }

  const actions = {
    start: () => play(null),
    restart: async () => {
      await progress.delete(plan.routine).catch(() => undefined);
      saved = null;
      play(null);
    },
    resume: () => play(saved),
    sound: (button) => {
      setSound(!soundEnabled());
      button.setAttribute("aria-pressed", String(soundEnabled()));
    },
  };

  function onClick(event) {
    const button = event.target.closest("[data-action]");
    if (!button || !root.contains(button)) return;
    const name = button.dataset.action;
    if (playing && name !== "sound") {
      if (!playing.action(name, button)) return;
    } else if (actions[name]) {
      actions[name](button);
    } else {
      return;
    }
    event.preventDefault();
  }
  root.addEventListener("click", onClick);

  (async () => {
    root.querySelector('[data-action="sound"]').setAttribute("aria-pressed", String(soundEnabled()));
    const [found] = await Promise.all([progress.get(plan.routine).catch(() => null), redFlagChecked()]);
    if (found?.phase === "summary") {
      // Finished but not kept (the app closed right at the end): keep it now.
      const [view] = await Promise.all([import("./player-view.js"), sessionStyles(root)]);
      await view.keepSession(root, plan, found);
    } else if (found) {
      saved = found;
      const item = found.items[found.item];
      const box = root.querySelector(".player-resume");
      box.querySelector(".player-resume-text").textContent =
        `You stopped at ${item.exercise.name}, set ${found.set} of ${item.sets}` +
        (found.version !== plan.version ? ` (version ${found.version} of this routine).` : ".");
      box.hidden = false;
      root.querySelector('[data-action="start"]').textContent = "Start a new session";
    }
    // A patient's own doses: the page is everyone's, the plan theirs (plan.js).
    if (currentOwner()) await (await import("./plan.js")).personalise(plan, root);
    root.querySelector('[data-action="start"]').disabled = false;
  })();

  return () => {
    stopped = true;
    playing?.stop();
    root.removeEventListener("click", onClick);
  };
}
