// This morning's answers drawn into the check-in form (static/js/checkin-fill.js): what
// the person answered on the page before their morning arrived stays as they set it.
import assert from "node:assert/strict";
import { test } from "node:test";

import { fill } from "../../static/js/checkin-fill.js";

// Just enough of a form: inputs by name, `elements` by name, selectors by [name="…"].
function fakeForm() {
  const inputs = [];
  const add = (name, value, type = "radio") => inputs.push({ name, value, type, checked: false });
  for (let n = 0; n <= 10; n += 1) add("first_step_pain", String(n));
  for (const value of ["rest", "run", "cross"]) add("activity", value);
  for (const value of ["heel", "arch"]) add("locations", value, "checkbox");
  for (const value of ["yes", "no"]) add("walking_pain_free", value);
  add("chest_pain", "on", "checkbox");
  add("calf_swelling", "on", "checkbox");
  add("no_red_flags", "on", "checkbox");
  const distance = { name: "distance", value: "" };
  const elements = { distance };
  for (const input of inputs) if (input.type === "checkbox" && input.name !== "locations") elements[input.name] = input;
  return {
    inputs,
    elements,
    querySelectorAll(selector) {
      const name = /name="([^"]+)"/.exec(selector)[1];
      return inputs.filter((input) => input.name === name);
    },
    value(name) {
      return inputs.filter((input) => input.name === name && input.checked).map((input) => input.value);
    },
  };
}

const MORNING = {
  first_step_pain: 2,
  activity: "run",
  locations: ["arch"],
  red_flags: ["chest_pain"],
  red_flags_answered: true,
  walking_pain_free: false,
  distance_km: 8,
};

test("the morning's answers are drawn in when nothing was answered yet", () => {
  const form = fakeForm();
  fill(form, MORNING, { unit: "km", kmPerMile: 1.609344 });
  assert.deepEqual(form.value("first_step_pain"), ["2"]);
  assert.deepEqual(form.value("activity"), ["run"]);
  assert.deepEqual(form.value("locations"), ["arch"]);
  assert.equal(form.elements.chest_pain.checked, true);
  assert.equal(form.elements.no_red_flags.checked, false);
  assert.deepEqual(form.value("walking_pain_free"), ["no"]);
  assert.equal(form.elements.distance.value, "8");
});

test("questions answered before the morning arrived are kept; the others are still drawn in", () => {
  const form = fakeForm();
  // The person ticked "None of these" while the server's answer was on its way.
  form.elements.no_red_flags.checked = true;
  form.inputs.find((input) => input.name === "activity" && input.value === "rest").checked = true;
  form.elements.distance.value = "3";
  fill(form, MORNING, {
    unit: "km",
    kmPerMile: 1.609344,
    answering: new Set(["warning-signs", "activity", "distance"]),
  });
  assert.equal(form.elements.no_red_flags.checked, true);
  assert.equal(form.elements.chest_pain.checked, false, "a sign from the server must not join 'None of these'");
  assert.deepEqual(form.value("activity"), ["rest"]);
  assert.equal(form.elements.distance.value, "3");
  assert.deepEqual(form.value("first_step_pain"), ["2"], "untouched questions are still filled");
  assert.deepEqual(form.value("locations"), ["arch"]);
});

test("a distance in miles is shown in miles", () => {
  const form = fakeForm();
  fill(form, { ...MORNING, distance_km: 16.09344 }, { unit: "mi", kmPerMile: 1.609344 });
  assert.equal(form.elements.distance.value, "10");
});
