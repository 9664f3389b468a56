// A patient's own plan for the routine the player is about to play: the doses their
// clinician prescribed and the clinician's note. The player page is the same for everyone
// (it is kept offline and may be opened by anyone on the phone), so this comes from the
// plan API when there is signal, and from the copy kept for this owner when there is not
// (IndexedDB "personal", by "<owner id>:plan:<slug>", cleared at log-out: forget.js).
import { store } from "./db.js";
import { currentOwner } from "./outbox.js";
import { url } from "./urls.js";

// A slow gym connection must not hold up the Start button: past this, the kept copy.
const WAIT_MS = 3000;

export async function personalPlan(slug, { owner = currentOwner(), plans = store("personal") } = {}) {
  if (!owner) return null;
  const key = `${owner.id}:plan:${slug}`;
  try {
    const response = await fetch(url("plan", { slug }), {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
      signal: AbortSignal.timeout(WAIT_MS),
    });
    if (response.ok) {
      const plan = await response.json();
      await plans.put(plan, key);
      return plan;
    }
    if (response.status === 401 || response.status === 404) {
      await plans.delete(key);
      return null;
    }
  } catch {
    // No signal (or too little): the copy kept from the last time, if any.
  }
  return (await plans.get(key).catch(() => null)) ?? null;
}

// The player's routine with this patient's doses, on its start screen too.
export async function personalise(routine, root) {
  const plan = await personalPlan(routine.routine);
  if (!plan) return;
  routine.items = withPlan(routine.items, plan);
  showPlan(root, routine.items, plan);
}

// The routine's items with the patient's own doses (matched by exercise: a newer version
// may have moved them). Changes the amount, never which exercises are played.
export function withPlan(items, plan) {
  if (!plan?.prescribed) return items;
  const mine = new Map(plan.items.filter((i) => i.prescribed).map((i) => [i.exercise, i]));
  return items.map((item) => {
    const own = mine.get(item.exercise.slug);
    if (!own) return item;
    const { sets, reps, hold_seconds, minutes, dose } = own;
    return { ...item, sets, reps, hold_seconds, minutes, dose, prescribed: true };
  });
}

// The start screen's preview and the clinician's note, redrawn for the patient's plan.
export function showPlan(root, items, plan) {
  const doses = root.querySelectorAll(".player-preview li .muted");
  items.forEach((item, index) => {
    if (doses[index]) doses[index].textContent = item.dose + (item.exercise.per_side ? " each side" : "");
  });
  const box = root.querySelector('[data-slot="prescribed"]');
  if (!box) return;
  box.hidden = !(plan?.prescribed && plan.note);
  box.querySelector('[data-slot="note"]').textContent = plan?.note ?? "";
}
