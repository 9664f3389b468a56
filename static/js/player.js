// The guided session player's page module ([data-module="player"] on #player; app.js).
//
// The page carries the routine version as JSON (#player-data); from then on the session
// runs on the phone, signal or not. This module is the start screen: it offers Resume
// when a session of this routine was left unfinished (a reload, a crash, a killed app),
// and loads the session itself (player-view.js, session.js) when one starts.
import { setSound, soundEnabled } from "./cues.js";
import { store } from "./db.js";

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
    const [view, session] = await Promise.all([import("./player-view.js"), import("./session.js")]);
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
    const found = await progress.get(plan.routine).catch(() => null);
    if (found?.phase === "summary") {
      // Finished but not kept (the app closed right at the end): keep it now.
      const view = await import("./player-view.js");
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
    root.querySelector('[data-action="start"]').disabled = false;
  })();

  return () => {
    stopped = true;
    playing?.stop();
    root.removeEventListener("click", onClick);
  };
}
