// After sign-up (the welcome page, [data-module="keep-selfcheck"]): the last self-check
// result worked out on this phone with no account is offered to the new account. Kept,
// it goes through the outbox with the phone's id for it (the server keeps it once, as of
// when it was taken, scoring the answers itself) and leaves the phone.
import { formatDay } from "./dates.js";
import { outbox } from "./outbox.js";
import { forgetIt, recalled } from "./selfcheck-on-phone.js";

export function offerText(kept) {
  const when = `On ${formatDay(kept.taken_at)}`;
  if (kept.urgency) return `${when} your self-check found a warning sign that needs a doctor.`;
  if (kept.pointed_to) return `${when} your self-check pointed to ${kept.pointed_to}.`;
  return `${when} your self-check did not point clearly to one condition.`;
}

export const uploadBody = (kept) => ({ client_id: kept.client_id, answers: kept.answers, taken_at: kept.taken_at });

const OUTCOME = {
  sent: "Kept in your account. It is on your home page.",
  queued: "It will be kept in your account when you have signal.",
  rejected: "It was not accepted (see the list on the check-in page).",
};

// "What brings you here?" not answered yet: what the kept result pointed to, to confirm.
function suggestMainProblem(page, slug) {
  const choice = page.querySelector('select[name="main_condition"]');
  if (choice && !choice.value && slug && [...choice.options].some((option) => option.value === slug)) {
    choice.value = slug;
  }
}

export function init(box) {
  const kept = recalled();
  box.dataset.checked = "true"; // looked: what follows is the answer (tests wait on this)
  if (!kept) return;
  box.querySelector("[data-keep-text]").textContent = offerText(kept);
  const actions = box.querySelector("[data-keep-actions]");
  const status = box.querySelector("[data-keep-status]");
  box.hidden = false;

  box.querySelector("[data-keep]").addEventListener("click", async (event) => {
    event.currentTarget.disabled = true;
    // In the outbox (stored before it is sent) first, then off the phone: a crash in
    // between offers it again, and the same id makes it the same result.
    const outcome = await outbox.deliver({ url: box.dataset.keepUrl, body: uploadBody(kept), label: "Self-check result" });
    forgetIt();
    suggestMainProblem(box.closest("main") ?? document, kept.condition);
    actions.hidden = true;
    status.textContent = OUTCOME[outcome.state] ?? OUTCOME.queued;
  });
  box.querySelector("[data-leave]").addEventListener("click", () => {
    // Someone else's on a shared phone: left on the phone (log-out clears it).
    actions.hidden = true;
    status.textContent = "Left on this phone, not in your account.";
  });
}
