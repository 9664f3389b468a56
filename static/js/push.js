// This phone's notifications switch on the account page ([data-module="push"] on
// #push-settings, templates/notifications/_settings.html). With it on, the morning
// reminder and the clinic's notices arrive by Web Push even when Footing is closed
// (sw.js shows them). The browser's permission is asked only from a tap on the switch.
//
// The server knows whose a subscription is: an endpoint this phone subscribed for
// another account (a shared phone) is refused with 409, and this person gets a fresh one.
import { csrfToken } from "./csrf.js";
import { url } from "./urls.js";

const SAY = {
  checking: "Checking this phone…",
  on: "Notifications are on for this phone.",
  off: "Notifications are off on this phone.",
  unsupported:
    "This browser can't receive notifications from a web app. On an iPhone or iPad, add Footing to your Home Screen first and open it from there.",
  blocked:
    "Notifications are blocked for Footing in this browser's settings. Allow them there, then come back here.",
  declined: "Notifications weren't allowed, so they stay off. Tap again to ask once more.",
  offline: "You're offline: turning notifications on needs a connection. Try again with a signal.",
};

export function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, "+").replace(/_/g, "/");
  const padded = base64 + "=".repeat((4 - (base64.length % 4)) % 4);
  return Uint8Array.from(atob(padded), (c) => c.charCodeAt(0));
}

async function post(name, body) {
  return fetch(url(name), {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrfToken() },
    body: JSON.stringify(body),
  });
}

// "mine" when the server keeps this subscription for the logged-in person, "theirs" when
// it belongs to another account.
async function register(subscription) {
  const response = await post("pushSubscribe", subscription.toJSON());
  if (response.status === 409) return "theirs";
  if (!response.ok) {
    const detail = await response.json().catch(() => ({}));
    throw new Error(detail.detail || `The server said ${response.status}.`);
  }
  return "mine";
}

async function subscribe(registration, key) {
  const options = { userVisibleOnly: true, applicationServerKey: keyBytes(key) };
  try {
    return await registration.pushManager.subscribe(options);
  } catch (error) {
    // A subscription made with an older server key: replace it.
    const old = await registration.pushManager.getSubscription();
    if (error.name !== "InvalidStateError" || !old) throw error;
    await old.unsubscribe();
    return registration.pushManager.subscribe(options);
  }
}

/** For log-out: this phone stops getting the person's notifications. */
export async function unsubscribeThisPhone() {
  const registration = await navigator.serviceWorker?.getRegistration();
  const subscription = await registration?.pushManager.getSubscription();
  if (!subscription) return;
  await post("pushUnsubscribe", { endpoint: subscription.endpoint }).catch(() => undefined);
  await subscription.unsubscribe();
}

export function init(box) {
  const key = box.dataset.pushKey;
  const state = box.querySelector("[data-push-state]");
  const on = box.querySelector("[data-push-on]");
  const off = box.querySelector("[data-push-off]");
  const show = (said, subscribed = null) => {
    state.textContent = SAY[said] ?? said;
    state.toggleAttribute("data-on", subscribed === true);
    on.hidden = subscribed !== false;
    off.hidden = subscribed !== true;
  };

  if (!key || !("serviceWorker" in navigator) || !("PushManager" in window) || !("Notification" in window)) {
    show("unsupported");
    return;
  }
  show("checking");

  async function current() {
    const registration = await navigator.serviceWorker.ready;
    if (Notification.permission === "denied") return show("blocked");
    const subscription = await registration.pushManager.getSubscription();
    if (!subscription || Notification.permission !== "granted") return show("off", false);
    // Confirm with the server (and refresh its keys): it may be another account's.
    const whose = await register(subscription).catch(() => "mine");
    show(whose === "mine" ? "on" : "off", whose === "mine");
  }

  async function turnOn() {
    const permission = await Notification.requestPermission();
    if (permission === "denied") return show("blocked"); // only the browser's settings can undo it
    if (permission !== "granted") return show("declined", false);
    const registration = await navigator.serviceWorker.ready;
    let subscription = (await registration.pushManager.getSubscription()) || (await subscribe(registration, key));
    if ((await register(subscription)) === "theirs") {
      // Someone else turned notifications on in this browser: a subscription of one's own.
      await subscription.unsubscribe();
      subscription = await subscribe(registration, key);
      if ((await register(subscription)) === "theirs") throw new Error("The server kept the old subscription.");
    }
    show("on", true);
  }

  async function turnOff() {
    await unsubscribeThisPhone();
    show("off", false);
  }

  const failed = (error) => {
    if (!navigator.onLine || error instanceof TypeError) show("offline", false);
    else show(`Couldn't change notifications: ${error.message}`, false);
  };
  on.addEventListener("click", () => turnOn().catch(failed));
  off.addEventListener("click", () => turnOff().catch(failed));
  current().catch(failed);
}
