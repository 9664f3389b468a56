// Account pages ([data-module="accounts"]): the phone's time zone at sign-up, and the
// morning reminder's switch on the profile.
import { arm } from "./reminder.js";

function reminderSwitch(section) {
  const time = section.dataset.reminderTime;
  const state = section.querySelector("[data-reminder-state]");
  const button = section.querySelector("[data-reminder-enable]");
  // reminder.js (on every page) reads this to know when to remind.
  if (time) localStorage.setItem("footing-reminder", time);
  else localStorage.removeItem("footing-reminder");
  if (!state) return;

  function show() {
    if (!("Notification" in window)) {
      state.textContent =
        "This browser can't show notifications from a web app. On an iPhone, add Footing to your Home Screen first.";
      return;
    }
    const permission = Notification.permission;
    button.hidden = permission !== "default";
    state.textContent = {
      granted: `Reminder on: Footing will notify you at ${time} if you haven't checked in.`,
      denied: "Notifications are blocked for Footing. Allow them in your browser's site settings.",
      default: "Tap the button to let Footing show the reminder.",
    }[permission];
  }

  // Asked only from a tap, never on page load: a prompt nobody asked for gets a "Block".
  button.addEventListener("click", async () => {
    await Notification.requestPermission();
    show();
    arm();
  });
  show();
}

export function init(root) {
  // Sign-up: "today" for check-ins should be the runner's day, so start from the phone's zone.
  const zone = root.querySelector('input[name="time_zone"][type="hidden"]');
  if (zone && !zone.value) zone.value = Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
  if (root.id === "reminder") reminderSwitch(root);
}
