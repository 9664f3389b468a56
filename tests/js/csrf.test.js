// The CSRF token read from Django's cookie (static/js/csrf.js).
import assert from "node:assert/strict";
import { test } from "node:test";

import { csrfToken } from "../../static/js/csrf.js";

test("the token is read from the csrftoken cookie wherever it sits", () => {
  assert.equal(csrfToken("csrftoken=abc123"), "abc123");
  assert.equal(csrfToken("sessionid=s; csrftoken=abc123; theme=dark"), "abc123");
  assert.equal(csrfToken("a=1;csrftoken=abc123"), "abc123");
});

test("a cookie whose name only ends in csrftoken is not the token", () => {
  assert.equal(csrfToken("oldcsrftoken=nope"), "");
  assert.equal(csrfToken("oldcsrftoken=nope; csrftoken=yes"), "yes");
});

test("the value is URL-decoded, and no cookie (a worker, a fresh phone) gives an empty token", () => {
  assert.equal(csrfToken("csrftoken=a%2Bb%3D"), "a+b=");
  assert.equal(csrfToken(""), "");
  assert.equal(csrfToken(), ""); // Node has no document: the default reads nothing
});
