// Every date and time a page's JavaScript shows, one way (docs/words.md), in the page's
// language (<html lang>) and the phone's time zone: "1 Dec", "Tue 1 Dec", "Tue 1 Dec,
// 07:55", "1 Dec 2026", "07:55"; the year only when it is not this year (always for
// "1 Dec 2026", a version's date). Pages write the same through the template filters in
// pwa/templatetags/dates.py (tests/pwa/test_dates.py holds the two to the same words).
// Machine dates (YYYY-MM-DD for forms and the API) are triage-today.js localDay's.

const lang = () => globalThis.document?.documentElement.lang || "en-GB";

// The locale's own order and names, with plain spaces between ("Tue, 1 Dec 2026" is
// "Tue 1 Dec 2026" here, as on the pages).
function written(when, options) {
  return new Intl.DateTimeFormat(lang(), options)
    .formatToParts(when)
    .filter((part) => part.type !== "literal")
    .map((part) => part.value)
    .join(" ");
}

const yearOf = (when) => new Intl.DateTimeFormat("en-GB", { year: "numeric" }).format(when);
const withYear = (when, now) => (yearOf(when) === yearOf(now) ? {} : { year: "numeric" });

export function formatDayMonth(iso, now = new Date()) {
  const when = new Date(iso);
  return written(when, { day: "numeric", month: "short", ...withYear(when, now) });
}

export function formatDay(iso, now = new Date()) {
  const when = new Date(iso);
  return written(when, { weekday: "short", day: "numeric", month: "short", ...withYear(when, now) });
}

export function formatClock(iso) {
  return new Intl.DateTimeFormat(lang(), { hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(new Date(iso));
}

export function formatMoment(iso, now = new Date()) {
  return `${formatDay(iso, now)}, ${formatClock(iso)}`;
}

export function formatDated(iso) {
  return written(new Date(iso), { day: "numeric", month: "short", year: "numeric" });
}
