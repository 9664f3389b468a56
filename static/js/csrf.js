// Django's CSRF token, read from its cookie when a request is made rather than printed into
// the page: pages stay identical for everyone (so they can be cached and saved offline)
// and a token never goes stale in a saved copy. A worker has no cookies: it passes "".
export function csrfToken(cookie = globalThis.document?.cookie ?? "") {
  const match = cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}
