// Push opt-in on the settings page (templates/clinic/_settings.html): subscribe this
// browser with the server's VAPID key and hand the subscription to /api/v1/push/...
// The service worker (sw.js) shows what arrives. Nothing is asked until the person taps.
// A page module ([data-module="push"] on #push-settings; see app.js).
import { csrfToken } from "./csrf.js";

export function init(box) {
  if (!box.dataset.pushKey) return;
  const state = box.querySelector("[data-push-state]");
  const on = box.querySelector("[data-push-on]");
  const off = box.querySelector("[data-push-off]");

  const say = (text) => { if (state) state.textContent = text; };

  function keyBytes(base64url) {
    const padded = base64url.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (base64url.length % 4)) % 4);
    return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
  }

  async function send(url, body) {
    const response = await fetch(url, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
      body: JSON.stringify(body),
    });
    if (!response.ok) throw new Error(`The server said ${response.status}.`);
  }

  function show(subscribed) {
    on.hidden = subscribed;
    off.hidden = !subscribed;
    say(subscribed ? "Notifications are on for this phone." : "Notifications are off for this phone.");
  }

  async function start() {
    if (!("serviceWorker" in navigator) || !("PushManager" in window)) {
      say("This browser can't receive notifications. Your routines still update when the app syncs.");
      return;
    }
    if (Notification.permission === "denied") {
      say("Notifications are blocked for Footing in this browser's settings.");
      return;
    }
    const registration = await navigator.serviceWorker.ready;
    show(Boolean(await registration.pushManager.getSubscription()));

    on.addEventListener("click", async () => {
      try {
        if ((await Notification.requestPermission()) !== "granted") {
          say("Notifications were not allowed.");
          return;
        }
        const subscription = await registration.pushManager.subscribe({
          userVisibleOnly: true,
          applicationServerKey: keyBytes(box.dataset.pushKey),
        });
        const { endpoint, keys } = subscription.toJSON();
        await send(box.dataset.subscribeUrl, { endpoint, keys });
        show(true);
      } catch (error) {
        say(`Couldn't turn notifications on: ${error.message}`);
      }
    });

    off.addEventListener("click", async () => {
      const subscription = await registration.pushManager.getSubscription();
      if (subscription) {
        await send(box.dataset.unsubscribeUrl, { endpoint: subscription.endpoint }).catch(() => {});
        await subscription.unsubscribe();
      }
      show(false);
    });
  }

  start().catch((error) => say(error.message));
}
