// The Appearance setting in the footer ([data-module="appearance"]): Automatic (follow the
// phone), Light or Dark, kept on this phone (not in the account: it is about the screen,
// and a shared phone keeps its owner's choice). theme.js applies it before each first paint.
const KEY = "footing-theme";
const FOLLOW_PHONE = "(prefers-color-scheme: dark)";

function apply(choice) {
  const sheet = document.querySelector("link[data-dark-scheme]");
  if (sheet) sheet.media = { dark: "all", light: "not all" }[choice] ?? FOLLOW_PHONE;
  for (const meta of document.querySelectorAll('meta[name="theme-color"]')) {
    meta.content = meta.dataset[choice] ?? meta.dataset[meta.media.includes("dark") ? "dark" : "light"];
  }
}

export function init(form) {
  const stored = localStorage.getItem(KEY);
  const current = stored === "light" || stored === "dark" ? stored : "auto";
  form.querySelector(`input[value="${current}"]`).checked = true;
  form.hidden = false; // without JavaScript the choice could not be kept: no control shown
  form.addEventListener("change", (event) => {
    const choice = event.target.value;
    if (choice === "auto") localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
    apply(choice);
  });
}
