// Django's CSRF token, from its cookie at request time rather than in the page: pages stay
// the same for everyone (cacheable, saved offline) and a token never goes stale in a copy.
export function csrfToken(cookie = globalThis.document?.cookie ?? "") {
  const match = cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : "";
}
