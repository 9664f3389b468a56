// The invitation's Copy and Share buttons: shown only where the browser can do it, and
// what they hand over is the join link.
import { test } from "node:test";
import assert from "node:assert/strict";
import { shareData, init } from "../../static/js/invite-share.js";

function fakeBox() {
  const listeners = {};
  const element = (extra = {}) => ({
    hidden: true,
    textContent: "",
    addEventListener: (type, handler) => { listeners[extra.name + type] = handler; },
    focus() {},
    select() { this.selected = true; },
    ...extra,
  });
  const parts = {
    "[data-copy]": element({ name: "copy" }),
    "[data-share-button]": element({ name: "share" }),
    "[data-invite-link]": element({ name: "input" }),
    "[data-share-state]": element({ name: "state" }),
  };
  return {
    parts,
    listeners,
    dataset: { shareUrl: "https://clinic.example/join/ABCD2345/", shareText: "Join us", shareTitle: "Join North Physio" },
    querySelector: (selector) => parts[selector],
  };
}

test("share data is the link, the text and the title", () => {
  const box = fakeBox();
  assert.deepEqual(shareData(box.dataset), {
    title: "Join North Physio",
    text: "Join us",
    url: "https://clinic.example/join/ABCD2345/",
  });
});

test("without a clipboard or a share sheet, both buttons stay hidden", () => {
  const box = fakeBox();
  init(box, { nav: {} });
  assert.equal(box.parts["[data-copy]"].hidden, true);
  assert.equal(box.parts["[data-share-button]"].hidden, true);
});

test("copy writes the join link and says so", async () => {
  const box = fakeBox();
  const written = [];
  init(box, { nav: { clipboard: { writeText: async (text) => written.push(text) } } });
  assert.equal(box.parts["[data-copy]"].hidden, false);
  await box.listeners.copyclick();
  assert.deepEqual(written, ["https://clinic.example/join/ABCD2345/"]);
  assert.match(box.parts["[data-share-state]"].textContent, /copied/);
});

test("a refused clipboard selects the link instead", async () => {
  const box = fakeBox();
  init(box, { nav: { clipboard: { writeText: async () => { throw new Error("denied"); } } } });
  await box.listeners.copyclick();
  assert.equal(box.parts["[data-invite-link]"].selected, true);
});

test("share opens the share sheet with the link; cancelling it says nothing", async () => {
  const box = fakeBox();
  const shared = [];
  let cancel = false;
  const nav = {
    share: async (data) => {
      if (cancel) throw Object.assign(new Error("no"), { name: "AbortError" });
      shared.push(data);
    },
    canShare: () => true,
  };
  init(box, { nav });
  assert.equal(box.parts["[data-share-button]"].hidden, false);
  await box.listeners.shareclick();
  assert.equal(shared[0].url, "https://clinic.example/join/ABCD2345/");
  box.parts["[data-share-state]"].textContent = "";
  cancel = true;
  await box.listeners.shareclick();
  assert.equal(box.parts["[data-share-state]"].textContent, "");
});
