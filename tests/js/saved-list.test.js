// Which tab is lit when the offline page stands in for a page that isn't saved
// (static/js/saved-list.js tabFor): the tab of the page asked for, never Home by default.
import assert from "node:assert/strict";
import { test } from "node:test";

import { tabFor } from "../../static/js/saved-list.js";

const TABS = ["/", "/conditions/", "/routines/", "/checkin/", "/progress/"];

test("a page lights the tab it belongs to", () => {
  const cases = {
    "/": "/",
    "/self-check/": "/",
    "/conditions/stress-fracture/": "/conditions/",
    "/exercises/towel-scrunches/": "/conditions/",
    "/routines/": "/routines/",
    "/routines/plantar-fasciitis-pain-management/play/": "/routines/",
    "/offline/": "/routines/",
    "/checkin/2026-12-01/": "/checkin/",
    "/history/": "/progress/",
    "/progress/": "/progress/",
  };
  for (const [path, tab] of Object.entries(cases)) assert.equal(tabFor(path, TABS), tab, path);
});

test("a page of no tab lights none (not Home)", () => {
  assert.equal(tabFor("/accounts/profile/", TABS), null);
  assert.equal(tabFor("/clinic/patients/3/", TABS), null);
});
