// After sign-up (the welcome page, [data-module="keep-sessions"]): the sessions played on
// this phone before there was an account are offered to it. Kept ones go through the
// outbox like any session, so a lost connection loses nothing, and each carries its own
// UUID, which the server upserts by: a second tap, a reload or a replay still makes one row.
//
// Only sessions the player marked as played without an account (anonymous: true, set in
// player-view.js) are offered: a shared phone's other logged-in person's are not.
import { store } from "./db.js";
import { formatMoment } from "./dates.js";
import { outbox } from "./outbox.js";

// What the phone keeps beside the log itself, for its own history list.
const LOCAL_ONLY = ["title", "names", "anonymous"];

export const unclaimed = (records) =>
  records.filter((record) => record.anonymous === true).sort((a, b) => a.started_at.localeCompare(b.started_at));

export function uploadBody(record) {
  const body = { ...record };
  for (const name of LOCAL_ONLY) delete body[name];
  return body;
}

export function offerTitle(count) {
  return count === 1
    ? "Keep the session you did on this phone?"
    : `Keep the ${count} sessions you did on this phone?`;
}

export function outcomeText(outcomes) {
  const count = (state) => outcomes.filter((outcome) => outcome.state === state).length;
  const [sent, queued, refused] = [count("sent"), count("queued"), count("rejected")];
  const parts = [];
  if (sent) parts.push(`${sent} saved to your account`);
  if (queued) parts.push(`${queued} will sync when you have signal`);
  if (refused) parts.push(`${refused} not accepted (see the list on the check-in page)`);
  return `${parts.join(", ")}.`.replace(/^./, (first) => first.toUpperCase());
}

export async function init(box) {
  if (!("indexedDB" in window)) return;
  const history = store("history");
  const offered = unclaimed(await history.getAll().catch(() => []));
  box.dataset.checked = "true"; // looked: what follows is the answer (tests wait on this)
  if (!offered.length) return;

  box.querySelector("[data-keep-title]").textContent = offerTitle(offered.length);
  if (offered.length === 1) box.querySelector("[data-keep]").textContent = "Keep it";
  box.querySelector("[data-keep-list]").replaceChildren(
    ...offered.map((record) => {
      const item = document.createElement("li");
      item.textContent = `${record.title}, ${formatMoment(record.started_at)}`;
      return item;
    }),
  );
  const actions = box.querySelector("[data-keep-actions]");
  const status = box.querySelector("[data-keep-status]");
  box.hidden = false;

  box.querySelector("[data-keep]").addEventListener("click", async (event) => {
    event.currentTarget.disabled = true;
    const outcomes = [];
    for (const record of offered) {
      const body = uploadBody(record);
      // In the outbox (stored before it is sent) first, then no longer offered: a crash
      // in between offers it again, and the same UUID makes it the same item and row.
      outcomes.push(await outbox.deliver({ url: box.dataset.sessionsUrl, body, label: `Session: ${record.title}` }));
      await history.put({ ...record, anonymous: false });
    }
    actions.hidden = true;
    status.textContent = outcomeText(outcomes);
  });
  box.querySelector("[data-leave]").addEventListener("click", () => {
    // Someone else's on a shared phone: left as they are, on this phone only.
    actions.hidden = true;
    box.querySelector("[data-keep-list]").hidden = true;
    status.textContent = "Left on this phone, not in your account.";
  });
}
