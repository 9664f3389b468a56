// The self-check in the browser, for when there is no signal ([data-module="selfcheck"]
// on the page; see app.js).
//
// Online, every tap is a form post that the server answers (htmx swaps the screen). When
// the post cannot be sent, this module takes over with the same rules (shipped in the page
// as JSON) and the browser's port of the evaluator (selfcheck-evaluator.js).
import { answersStep, evaluate, progress, questionNext } from "./selfcheck-evaluator.js";
import { url } from "./urls.js";

const LABEL = "See a doctor today";
const TITLE = { emergency: "Get emergency care now", today: "See a doctor today" };

function pageData() {
  const script = document.getElementById("selfcheck-data");
  return script ? JSON.parse(script.textContent) : null;
}

function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

function hiddenAnswers(form, pairs) {
  for (const input of form.querySelectorAll('input[name="a"]')) input.remove();
  const anchor = form.querySelector('input[name="question"]');
  for (const [id, answer] of pairs) {
    anchor.before(el("input", { type: "hidden", name: "a", value: `${id}:${answer}` }));
  }
}

function showQuestion(screen, rules, pairs, question) {
  const form = screen.querySelector(".sc-form");
  const answers = Object.fromEntries(pairs);
  const [number, about] = progress(rules, answers);
  hiddenAnswers(form, pairs);
  form.querySelector('input[name="question"]').value = question.id;
  form.querySelector('[data-slot="number"]').textContent = number;
  form.querySelector('[data-slot="about"]').textContent = about;
  const bar = form.querySelector("progress");
  bar.max = about;
  bar.value = number - 1;
  form.querySelector(".sc-kicker").hidden = question.red_flag === null;
  form.querySelector(".sc-back").hidden = pairs.length === 0;
  const heading = form.querySelector(".sc-question");
  heading.textContent = question.text;
  heading.focus({ preventScroll: true });
}

function resultNodes(data, outcome) {
  const nodes = [el("h2", { class: "sc-result-title", tabindex: "-1" }, "Your result")];
  const flags = outcome.red_flags;
  if (flags.length) {
    const urgency = flags[0].urgency;
    const reasons = flags.map((hit) => {
      const item = el("li", { class: `flag flag-${hit.urgency}` });
      // Under "Get emergency care now", the lesser flags say they are for today.
      if (hit.urgency !== urgency) item.append(el("span", { class: "flag-label" }, LABEL));
      const unsure = hit.answer === "unsure" ? " You were not sure, so have it checked." : "";
      item.append(hit.reason + unsure);
      return item;
    });
    nodes.push(
      el(
        "div",
        { class: `sc-alert sc-alert-${urgency}`, role: "alert" },
        el("p", { class: "sc-alert-title" }, TITLE[urgency]),
        el("p", { class: "sc-alert-advice" }, data.rules.urgency_advice[urgency]),
        el("ul", { class: "sc-reasons" }, ...reasons),
      ),
    );
  }
  if (outcome.see_doctor.length) {
    nodes.push(
      el(
        "div",
        { class: "sc-alert sc-alert-doctor" },
        el("p", { class: "sc-alert-title" }, "See a sports medicine doctor first"),
        el("ul", { class: "sc-reasons" }, ...outcome.see_doctor.map((note) => el("li", {}, note.reason))),
      ),
    );
  }
  const matches = outcome.conditions.filter((match) => data.pages[match.slug]);
  if (matches.length) {
    const title =
      flags.length || outcome.see_doctor.length
        ? "After you have seen a doctor, you can read about"
        : "What your answers point to";
    const items = matches.map((match, index) => {
      const page = data.pages[match.slug];
      const item = el("li", { class: "sc-match", "data-slug": match.slug });
      if (index > 0) item.append(el("p", { class: "sc-also" }, "Also possible"));
      item.append(
        el("a", { class: "sc-match-name", href: page.url }, page.name),
        el("ul", { class: "sc-because" }, ...match.because.map((s) => el("li", {}, s))),
      );
      if (data.doctor_first.includes(match.slug)) {
        item.append(
          el(
            "p",
            { class: "sc-doctor-first" },
            "See a sports medicine doctor as soon as you can. Footing gives no exercises " +
              "for this on purpose: the same signs can be a blood clot.",
          ),
        );
      } else if (index === 0 && match.routines && page.routines.length) {
        const links = page.routines.map((r) => el("li", {}, el("a", { href: r.url }, r.title)));
        item.append(el("ul", { class: "sc-routines" }, ...links));
      }
      return item;
    });
    nodes.push(el("h3", { class: "sc-matches-title" }, title));
    nodes.push(el("ol", { class: "sc-matches" }, ...items));
  } else {
    nodes.push(
      el(
        "p",
        { class: "sc-nomatch" },
        "Your answers do not point clearly to one of the five conditions Footing explains. " +
          "Read about them all, and see a sports medicine doctor.",
      ),
    );
  }
  nodes.push(
    el(
      "aside",
      { class: "callout callout-doctor", "aria-label": "See a doctor" },
      el("p", { class: "callout-title" }, "See a sports medicine doctor"),
      el("p", {}, data.rules.doctor_note),
    ),
    el("p", { class: "sc-offline-note" }, "Worked out on your phone while offline. To save it, check again with signal."),
    el("a", { class: "btn btn-quiet sc-again", href: document.querySelector(".sc-form")?.action || url("selfcheck") }, "Start again"),
  );
  return nodes;
}

// Answers the tap here; false leaves it to htmx (e.g. the page has no rules to use).
function answerLocally(form, formData) {
  const data = pageData();
  const screen = document.getElementById("selfcheck-screen");
  if (!data || !screen || !form.classList.contains("sc-form")) return false;
  const rules = data.rules;
  const previous = formData.getAll("a").map((value) => {
    const cut = value.indexOf(":");
    return [value.slice(0, cut), value.slice(cut + 1)];
  });
  let pairs;
  try {
    pairs = answersStep(
      rules,
      previous,
      formData.get("question") || "",
      formData.get("answer") || "",
      formData.has("back"),
    );
  } catch {
    return false;
  }
  const answers = Object.fromEntries(pairs);
  const next = questionNext(rules, answers);
  if (next) {
    showQuestion(screen, rules, pairs, next);
  } else {
    screen.dataset.screen = "result";
    screen.replaceChildren(...resultNodes(data, evaluate(rules, answers, data.doctor_first)));
    screen.querySelector(".sc-result-title").focus({ preventScroll: true });
  }
  window.scrollTo(0, 0);
  return true;
}

function isSelfCheck(event) {
  return event.detail.elt?.closest?.("#selfcheck-screen") != null;
}

// A result the server worked out for someone with no account: kept on the phone for
// sign-up. (One worked out offline is not: it says to check again with signal.) Loaded
// when a result comes, not with the page: the questions need none of it.
function keepOnPhone(screen) {
  const said = screen?.dataset.onPhone;
  if (said) import("./selfcheck-on-phone.js").then((phone) => phone.remember(JSON.parse(said)));
}

export function init(root) {
  keepOnPhone(root.querySelector("#selfcheck-screen")); // a result posted without htmx
  // Known offline: do not wait for the post to fail.
  root.addEventListener("htmx:beforeRequest", (event) => {
    if (!isSelfCheck(event) || navigator.onLine !== false) return;
    if (answerLocally(event.detail.elt, event.detail.requestConfig.formData)) {
      event.preventDefault();
    }
  });

  // The post failed on the way (no signal, server unreachable): same answer, locally.
  root.addEventListener("htmx:sendError", (event) => {
    if (isSelfCheck(event)) answerLocally(event.detail.elt, event.detail.requestConfig.formData);
  });

  // A new screen from the server: start reading at its question or result.
  root.addEventListener("htmx:load", (event) => {
    if (event.detail.elt?.id !== "selfcheck-screen") return;
    keepOnPhone(event.detail.elt);
    event.detail.elt.querySelector(".sc-question, .sc-result-title")?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  });
}
