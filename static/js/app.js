// Footing's page glue: small and dependency-free. htmx does the navigation.
"use strict";

// Django's CSRF token, read from its cookie at request time rather than printed into the
// page: pages stay identical for everyone (so they can be cached and saved offline)
// and a token never goes stale in a saved copy.
function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}

document.addEventListener("htmx:configRequest", (event) => {
  if (event.detail.verb !== "get") {
    event.detail.headers["X-CSRFToken"] = csrfToken();
  }
});

// After a boosted navigation, move focus to the new page's content so screen readers
// and keyboard users start at the top of what changed.
document.addEventListener("htmx:afterSettle", (event) => {
  if (event.detail.boosted) {
    document.getElementById("main")?.focus({ preventScroll: true });
    window.scrollTo(0, 0);
  }
});
