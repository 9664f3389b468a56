// Does a red flag stop training today? Newest answer wins (tests/js/triage.test.js).
export function localDay(now = new Date(), timeZone = undefined) {
  // The phone's own day needs no time-zone data: Intl's first use in a page loads it, one
  // long task (tens of ms on a slow phone) that would hold up the first tap.
  if (!timeZone) {
    const two = (n) => String(n).padStart(2, "0");
    return `${now.getFullYear()}-${two(now.getMonth() + 1)}-${two(now.getDate())}`;
  }
  return new Intl.DateTimeFormat("en-CA", {
    timeZone,
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).format(now);
}

export function latestToday(day, answers) {
  const today = answers.filter((answer) => answer && answer.date === day);
  if (!today.length) return null;
  return today.reduce((latest, answer) =>
    Date.parse(answer.answered_at || 0) >= Date.parse(latest.answered_at || 0) ? answer : latest,
  );
}

export function outboxAnswers(items, { checkinsUrl, owner }) {
  return items
    .filter((item) => item.url === checkinsUrl && item.method === "POST" && item.owner === owner)
    .filter((item) => item.state === "pending" && item.body)
    .map((item) => ({
      date: item.body.date,
      answered_at: item.body.answered_at,
      flags: item.body.red_flags || [],
    }));
}

export function triageFor(table, flags) {
  const hits = table.flags.filter((flag) => flags.includes(flag.field));
  if (!hits.length) return null;
  const urgency = hits[0].urgency;
  return {
    urgency,
    title: table.titles[urgency],
    reasons: hits.map((flag) => flag.reason),
    do: table.do[urgency],
  };
}
