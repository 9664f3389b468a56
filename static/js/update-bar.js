// App updates: a new service worker waits (sw.js never skips waiting itself); the bar
// offers it and only a tap swaps it in. Never offered or applied in a session: the player
// (#player) or anything marked data-session-active.
let waitingWorker = null;
let updating = false;

const inSession = () => document.querySelector("[data-session-active], #player") !== null;

export function drawUpdateBar() {
  const bar = document.querySelector("[data-update-bar]");
  if (!bar) return;
  bar.toggleAttribute("data-update-ready", Boolean(waitingWorker)); // known, if not offered
  bar.hidden = !waitingWorker || inSession();
  const button = bar.querySelector("[data-update-button]");
  if (button.dataset.bound) return;
  button.dataset.bound = "1";
  button.addEventListener("click", () => {
    if (!waitingWorker || inSession()) return;
    updating = true;
    button.disabled = true;
    waitingWorker.postMessage({ type: "SKIP_WAITING" });
  });
}

export function watchForUpdates(registration) {
  const offer = (worker) => {
    // The first install has no controller: nothing to update from.
    if (!navigator.serviceWorker.controller) return;
    waitingWorker = worker;
    drawUpdateBar();
  };
  if (registration.waiting) offer(registration.waiting);
  registration.addEventListener("updatefound", () => {
    const worker = registration.installing;
    worker?.addEventListener("statechange", () => {
      if (worker.state === "installed") offer(worker);
    });
  });
  navigator.serviceWorker.addEventListener("controllerchange", () => {
    // Only the tap reloads; a swap made from another tab leaves this page alone.
    if (updating) location.reload();
  });
  // A session ending (its mark removed) may let a waiting update be offered.
  new MutationObserver(drawUpdateBar).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-session-active"],
  });
}
