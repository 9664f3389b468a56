// Log-out on a shared phone ([data-module="logout"], the account page): first what is still
// waiting to sync is sent if it can be; what cannot is offered to its owner — kept on this
// phone for them alone, or discarded — then the server ends the session, and the phone is
// cleared of the person (forget.js). Without JavaScript the form still logs out (and the
// server's Clear-Site-Data empties the HTTP cache).
import { csrfToken } from "./csrf.js";
import { describe, forget } from "./forget.js";
import { currentOwner, madeBy, outbox } from "./outbox.js";

export function init(root) {
  const form = root.querySelector(".logout-form");
  const dialog = root.querySelector(".logout-dialog");
  const status = form.querySelector('[data-slot="status"]');
  const say = (text) => (status.textContent = text);
  let busy = false;

  async function onSubmit(event) {
    event.preventDefault();
    if (busy) return;
    busy = true;
    try {
      await logOut();
    } finally {
      busy = false;
    }
  }

  async function logOut() {
    const owner = currentOwner();
    say("Checking what is still to sync…");
    await outbox.replay({ force: true }).catch(() => undefined);
    const waiting = (await outbox.pending()).filter((item) => madeBy(item, owner));
    let keepWaiting = true;
    if (waiting.length) {
      say("");
      const choice = await ask(waiting, owner);
      if (choice !== "keep" && choice !== "discard") return; // stays logged in
      keepWaiting = choice === "keep";
    }
    say("Logging out…");
    let response;
    try {
      response = await fetch(form.action, {
        method: "POST",
        body: new FormData(form),
        headers: { "X-CSRFToken": csrfToken() },
        credentials: "same-origin",
        redirect: "manual",
      });
    } catch {
      say("You're offline. Logging out needs a connection, so the server forgets this phone; nothing is lost meanwhile.");
      return;
    }
    if (response.type !== "opaqueredirect" && !response.ok) {
      say("The server could not log you out just now. Try again in a moment.");
      return;
    }
    await forget(owner, { keepWaiting });
    location.assign(form.dataset.next);
  }

  function ask(waiting, owner) {
    const one = waiting.length === 1;
    const [it, they] = one ? ["it", "it is"] : ["them", "they are"];
    const name = owner?.name || "you";
    const words = {
      waiting: `${capitalised(describe(waiting))} ${one ? "hasn't" : "haven't"} reached the server yet.`,
      kept: `If you keep ${it}, ${they} sent the next time ${name} logs in on this phone. ` +
        `Nobody else who uses the phone can see ${it}.`,
      keep: `Keep ${it} for ${name}`,
      discard: `Discard ${it}`,
    };
    for (const [slot, text] of Object.entries(words)) {
      dialog.querySelector(`[data-slot="${slot}"]`).textContent = text;
    }
    dialog.returnValue = "";
    dialog.showModal();
    dialog.querySelector('button[value="keep"]').focus();
    return new Promise((resolve) => dialog.addEventListener("close", () => resolve(dialog.returnValue), { once: true }));
  }

  form.addEventListener("submit", onSubmit);
  return () => form.removeEventListener("submit", onSubmit);
}

const capitalised = (text) => text.charAt(0).toUpperCase() + text.slice(1);
