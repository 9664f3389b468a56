// The morning check-in through the offline outbox (without it, a plain form post): kept
// with no signal, synced once. Rules from #checkin-data (journal.selectors), none typed
// here; whose morning it is, from checkin-shell.js.
import { fillShell, keepAnswer } from "./checkin-shell.js";
import { formatDay } from "./dates.js";
import { currentOwner, outbox } from "./outbox.js";
import { url } from "./urls.js";

export function init(form) {
  const status = document.getElementById("checkin-status");
  const rules = JSON.parse(document.getElementById("checkin-data").textContent);
  const signs = form.querySelector("#warning-signs");
  const none = form.elements.no_red_flags;
  const flagBoxes = rules.red_flags.map((field) => form.elements[field]).filter(Boolean);

  // "None of these" and the signs exclude each other.
  signs.addEventListener("change", (event) => {
    if (event.target === none && none.checked) {
      for (const box of flagBoxes) box.checked = false;
    } else if (flagBoxes.includes(event.target) && event.target.checked) {
      none.checked = false;
    }
  });

  // The page is everyone's: the person's day, units and answers are filled in first.
  const filled = fillShell(form, { kmPerMile: rules.km_per_mile });

  // The red-flag stop's modules are fetched now the form has started (not at first paint),
  // so a warning sign saved offline shows the stop before the worker has the app's shell.
  const loadStop = () =>
    Promise.all([import("./triage-gate.js"), import("./triage-stop.js")])
      .then(([gate]) => ((form.dataset.stopReady = ""), gate))
      .catch(() => null);
  let stopLoaded = loadStop();

  const checked = (name) => form.querySelector(`input[name="${name}"]:checked`)?.value ?? null;
  const number = (value) => (value === null || value === "" ? null : Number(value));

  function answers() {
    const activity = checked("activity") || null;
    const active = rules.activity_pain.includes(activity);
    let distance = activity === "run" ? number(form.elements.distance.value) : null;
    if (distance !== null && form.dataset.unit === "mi") distance *= rules.km_per_mile;
    const walking = checked("walking_pain_free");
    return {
      client_id: form.elements.client_id.value,
      date: form.elements.date.value,
      first_step_pain: number(checked("first_step_pain")),
      locations: [...form.querySelectorAll('input[name="locations"]:checked')].map((i) => i.value),
      stiffness_minutes: number(checked("stiffness_minutes")),
      activity,
      distance_km: distance === null ? null : Math.round(distance * 100) / 100,
      pain_during: active ? number(checked("pain_during")) : null,
      pain_after: active ? number(checked("pain_after")) : null,
      walking_pain_free: walking === null ? null : walking === "yes",
      red_flags: flagBoxes.filter((box) => box.checked).map((box) => box.name),
      answered_at: new Date().toISOString(),
    };
  }

  function say(text, kind = "") {
    status.textContent = text;
    status.className = `checkin-status ${kind}`;
  }

  let waitingFor = null;
  function synced(event) {
    if (!waitingFor || event.detail.items.some((item) => item.id === waitingFor.id)) return;
    const link = Object.assign(document.createElement("a"), {
      href: url("checkinResult", { day: waitingFor.date }),
      textContent: "See today's advice",
    });
    say("Synced. ", "ok");
    status.append(link);
    waitingFor = null;
  }
  window.addEventListener("footing:outbox", synced);

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    await filled;
    const body = answers();
    if (body.first_step_pain === null) {
      say("Tap how much your first steps hurt (0–10) first.", "error");
      form.querySelector('input[name="first_step_pain"]').focus();
      return;
    }
    if (!body.red_flags.length && !none.checked) {
      say("Answer the warning signs: tick any that are true, or \u201cNone of these\u201d.", "error");
      none.focus();
      return;
    }
    const button = form.querySelector("button[type=submit]");
    button.disabled = true;
    say("Saving…");
    try {
      const outcome = await outbox.deliver({
        url: form.dataset.api,
        body,
        // "Check-in for Tue 1 Dec" (docs/words.md); noon, so no zone turns it into another day.
        label: `Check-in for ${formatDay(`${body.date}T12:00:00`)}`,
        keepRejected: false, // the form shows the reason and the runner fixes it here
      });
      if (outcome.state !== "rejected") await keepAnswer(currentOwner(), body);
      // Not fetched yet (offline since the page opened, no worker yet): tried again, and if
      // that fails the check-in is still saved and says so.
      const gate =
        outcome.state === "rejected" ? null : (await stopLoaded) || (await (stopLoaded = loadStop()));
      // Kept per person, so the player and home stop on a red flag with no signal too.
      await gate?.remember({ date: body.date, answered_at: body.answered_at, flags: body.red_flags });
      if (outcome.state === "sent") {
        window.location.assign(url("checkinResult", { day: outcome.data.date }));
        return;
      }
      if (outcome.state === "queued") {
        waitingFor = { id: body.client_id, date: body.date };
        say("Saved on this phone — will sync", "ok");
        // A warning sign: the stop above shows it from the outbox, first thing to read.
        const stop = document.querySelector(".triage-gate");
        if (stop && gate) await gate.start(stop);
        if (body.red_flags.length) window.scrollTo({ top: 0 });
      } else {
        const where = outcome.error.field ? `${outcome.error.field}: ` : "";
        say(`Not saved. ${where}${outcome.error.detail}`, "error");
      }
    } finally {
      button.disabled = false;
    }
  });
  return () => window.removeEventListener("footing:outbox", synced);
}
