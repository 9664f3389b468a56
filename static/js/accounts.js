// Account pages ([data-module="accounts"]): the phone's time zone at sign-up.
// (The morning reminder is the server's now: push.js turns notifications on.)

export function init(root) {
  // Sign-up: "today" for check-ins should be the runner's day, so start from the phone's zone.
  const zone = root.querySelector('input[name="time_zone"][type="hidden"]');
  if (zone && !zone.value) zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}
