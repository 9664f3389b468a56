// This morning's answers drawn into the check-in form (checkin-shell.js), when the person
// already gave some: from the outbox, the server or the copy this phone keeps for them.
// Loaded only then, so a first check-in of the day loads less. Questions in `answering`
// (answered on this page before the morning arrived) are left as the person set them.
export function fill(form, given, { unit, kmPerMile, answering = new Set() }) {
  const pick = (name, value) => {
    if (answering.has(name)) return;
    for (const input of form.querySelectorAll(`input[name="${name}"]`)) {
      input.checked = value !== null && value !== undefined && input.value === String(value);
    }
  };
  for (const name of ["first_step_pain", "stiffness_minutes", "activity", "pain_during", "pain_after"]) {
    pick(name, given[name]);
  }
  if (!answering.has("locations")) {
    for (const input of form.querySelectorAll('input[name="locations"]')) {
      input.checked = (given.locations || []).includes(input.value);
    }
  }
  if (!answering.has("warning-signs")) {
    for (const field of given.red_flags || []) {
      if (form.elements[field]) form.elements[field].checked = true;
    }
    // "None of these" was the answer when the signs were answered and none was ticked (the
    // server says red_flags_answered; a body from this phone's outbox always answered them).
    const answered = given.red_flags_answered ?? Array.isArray(given.red_flags);
    if (form.elements.no_red_flags) form.elements.no_red_flags.checked = answered && !(given.red_flags || []).length;
  }
  const walking = given.walking_pain_free;
  pick("walking_pain_free", walking === true ? "yes" : walking === false ? "no" : null);
  if (answering.has("distance")) return;
  const km = given.distance_km === null || given.distance_km === undefined ? null : Number(given.distance_km);
  form.elements.distance.value = km === null ? "" : String(Math.round((unit === "mi" ? km / kmPerMile : km) * 10) / 10);
}
