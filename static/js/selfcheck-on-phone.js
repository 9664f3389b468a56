// The last self-check result worked out on this phone with no account, kept to offer at
// sign-up (keep-selfcheck.js). Only the newest one: a new result replaces it. Its own id
// (client_id) makes keeping it once a rule the server can hold to, however often the
// outbox sends it. It is the stranger's health data on a shared phone, so log-out
// clears it (forget.js) and keeping it removes it.
export const KEY = "footing-selfcheck";

// What the result screen said (its data-on-phone: answers, pointed_to, urgency), as kept.
export function record(onPhone, { now = new Date(), id = crypto.randomUUID() } = {}) {
  return { client_id: id, taken_at: now.toISOString(), ...onPhone };
}

export function remember(onPhone, storage = globalThis.localStorage) {
  storage?.setItem(KEY, JSON.stringify(record(onPhone)));
}

// The kept result, or null (nothing kept, or something this module did not write).
export function recalled(storage = globalThis.localStorage) {
  try {
    const kept = JSON.parse(storage?.getItem(KEY) ?? "null");
    const whole = kept && typeof kept.client_id === "string" && typeof kept.taken_at === "string";
    return whole && kept.answers && typeof kept.answers === "object" ? kept : null;
  } catch {
    return null;
  }
}

export function forgetIt(storage = globalThis.localStorage) {
  storage?.removeItem(KEY);
}
