// The daily check-in reminder, where the browser allows it. Armed once per document by
// app.js when a time is set, and again by accounts.js and checkin.js when it changes.
//
// Honest limits: a web app cannot wake a closed phone at an exact time (the Notification
// Triggers API never shipped). While Footing is open or still alive in the background,
// this shows the notification at the chosen time, unless today's check-in is done.
import { url } from "./urls.js";

let timer = null;

function msUntil(hhmm) {
  const [hours, minutes] = hhmm.split(":").map(Number);
  const now = new Date();
  const at = new Date(now);
  at.setHours(hours, minutes, 0, 0);
  if (at <= now) at.setDate(at.getDate() + 1);
  return at - now;
}

const localDay = () => new Date().toLocaleDateString("en-CA");

async function remind() {
  if (localStorage.getItem("footing-last-checkin") === localDay()) return;
  const checkin = url("checkin");
  const options = {
    body: "First steps this morning: how did your heel feel? 30 seconds.",
    icon: url("icon"),
    tag: "footing-checkin",
    data: { url: checkin },
  };
  const registration = await navigator.serviceWorker?.getRegistration();
  if (registration) await registration.showNotification("Morning check-in", options);
  else new Notification("Morning check-in", options).onclick = () => window.location.assign(checkin);
}

export function arm() {
  if (!("Notification" in window)) return;
  clearTimeout(timer);
  const time = localStorage.getItem("footing-reminder");
  if (!time || Notification.permission !== "granted") return;
  timer = setTimeout(async () => {
    await remind().catch(() => {});
    arm();
  }, msUntil(time));
}
