// Draws the red-flag stop with the server's words; loaded only when there is one.
export function fill(section, triage, contacts) {
  section.classList.remove("triage-today", "triage-emergency");
  section.classList.add(`triage-${triage.urgency}`);
  section.dataset.triage = triage.urgency;
  section.querySelector(".triage-title").textContent = triage.title;
  section
    .querySelector(".triage-reasons")
    .replaceChildren(...triage.reasons.map((reason) => Object.assign(document.createElement("li"), { textContent: reason })));
  section.querySelector(".triage-do").textContent = triage.do;
  const emergency = triage.urgency === "emergency";
  section.querySelector(".triage-emergency-call").hidden = !emergency;
  section.querySelector(".triage-emergency-line").hidden = emergency;
  const clinic = section.querySelector(".triage-clinic-call");
  clinic.hidden = !contacts?.clinic_phone;
  if (contacts?.clinic_phone) {
    clinic.href = `tel:${contacts.clinic_tel}`;
    clinic.querySelector("[data-slot=clinic-name]").textContent = contacts.clinic_name;
    clinic.querySelector("[data-slot=clinic-phone]").textContent = contacts.clinic_phone;
    clinic.classList.toggle("btn-primary", !emergency);
    clinic.classList.toggle("btn-big", !emergency);
    clinic.classList.toggle("btn-quiet", emergency);
  }
}

export function show(gate, hides, triage, contacts) {
  fill(gate.querySelector(".triage"), triage, contacts);
  gate.hidden = false;
  for (const part of hides) part.dataset.gated = "";
}
