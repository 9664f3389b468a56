import assert from "node:assert/strict";
import { test } from "node:test";

import { readMessage } from "../../static/js/push-message.js";

const ORIGIN = "https://footing.example";
const read = (value) => readMessage(typeof value === "string" ? value : JSON.stringify(value), ORIGIN);

test("a message from the server is shown as it came", () => {
  const message = { title: "Good morning", body: "How were your first steps?", url: "/checkin/", tag: "checkin-2026-12-02" };
  assert.deepEqual(read(message), message);
});

test("defaults: no body, the home page, no tag", () => {
  assert.deepEqual(read({ title: "Footing" }), { title: "Footing", body: "", url: "/", tag: "" });
});

test("an unreadable push shows nothing", () => {
  for (const bad of ["", "not json", "null", "[]", "7", '"text"', { body: "no title" }, { title: "" }, { title: "   " }, { title: 5 }, { title: "t", body: 3 }, { title: "t", tag: {} }]) {
    assert.equal(read(bad), null, JSON.stringify(bad));
  }
});

test("a link off the app opens the app's home", () => {
  for (const url of ["//evil.example/x", "https://evil.example/", "javascript:alert(1)", "http://footing.example/", 7, null]) {
    assert.equal(read({ title: "t", url }).url, "/", String(url));
  }
  assert.equal(read({ title: "t", url: `${ORIGIN}/routines/heel/?v=2#top` }).url, "/routines/heel/?v=2#top");
});

test("over-long texts are cut to the server's limits", () => {
  const message = read({ title: "t".repeat(500), body: "b".repeat(5000) });
  assert.equal(message.title.length, 80);
  assert.equal(message.body.length, 240);
});
