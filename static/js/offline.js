// Footing offline: registers the service worker, saves routines for offline, keeps them
// current, and tells the person what works with no signal. Dependency-free.
//
// Saved routines live in Cache Storage, one cache per routine ("footing-saved-<slug>"),
// plus one small JSON record each in "footing-saved-index" (title, version, size, date).
// The service worker (static/js/sw.js) answers from those caches when the network is gone.
//
// Sessions: a page playing a session marks any element with `data-session-active` while
// it runs; an app update is neither offered nor applied while that mark is on the page.
"use strict";

(() => {
  if (!("serviceWorker" in navigator) || !("caches" in window)) return;

  const SAVED_PREFIX = "footing-saved-";
  const INDEX = "footing-saved-index";
  const SYNC_URL = "/api/v1/sync";
  const SYNC_EVERY_MS = 60_000; // boosted navigations check at most this often
  const PARALLEL_DOWNLOADS = 4;

  let registration = null;
  let waitingWorker = null;
  let updating = false;
  let lastSync = 0;

  /* ---------- saved routines: the index ---------- */

  const indexKey = (slug) => `/offline/saved/${encodeURIComponent(slug)}`;

  async function savedList() {
    const index = await caches.open(INDEX);
    const records = await Promise.all(
      (await index.keys()).map(async (key) => (await index.match(key)).json()),
    );
    return records.sort((a, b) => a.title.localeCompare(b.title));
  }

  async function savedGet(slug) {
    const hit = await (await caches.open(INDEX)).match(indexKey(slug));
    return hit ? hit.json() : null;
  }

  async function savedPut(record) {
    const body = JSON.stringify(record);
    const headers = { "Content-Type": "application/json" };
    await (await caches.open(INDEX)).put(indexKey(record.slug), new Response(body, { headers }));
  }

  async function savedRemove(slug) {
    await caches.delete(SAVED_PREFIX + slug);
    await (await caches.open(INDEX)).delete(indexKey(slug));
  }

  /* ---------- saving a routine ---------- */

  // Downloads every file the offline manifest lists into the routine's cache, reporting
  // progress in bytes. Files no longer listed are dropped, so a refresh leaves no leftovers.
  async function saveRoutine(manifestUrl, onProgress = () => {}) {
    const manifestResponse = await fetch(manifestUrl, { cache: "no-cache" });
    if (!manifestResponse.ok) throw new Error(`offline manifest: ${manifestResponse.status}`);
    const manifest = await manifestResponse.json();
    const cache = await caches.open(SAVED_PREFIX + manifest.slug);
    const total = manifest.total_bytes || 1;
    let done = 0;
    let stored = 0;
    const queue = [...manifest.files];
    onProgress(0);

    async function worker() {
      for (let file = queue.shift(); file; file = queue.shift()) {
        const response = await fetch(file.url, { cache: "no-cache", credentials: "same-origin" });
        if (!response.ok) throw new Error(`${file.url}: ${response.status}`);
        // Read first, then add: `stored += await …` would add to a stale total when the
        // downloads run side by side.
        const size = (await response.clone().blob()).size;
        await cache.put(file.url, response);
        stored += size;
        done += file.bytes;
        onProgress(Math.min(done / total, 1));
      }
    }
    await Promise.all(Array.from({ length: PARALLEL_DOWNLOADS }, worker));

    const wanted = new Set(manifest.files.map((f) => new URL(f.url, location.href).href));
    for (const key of await cache.keys()) {
      if (!wanted.has(key.url)) await cache.delete(key);
    }
    const previous = await savedGet(manifest.slug);
    const record = {
      slug: manifest.slug,
      title: manifest.title,
      url: manifest.files[0]?.url,
      version: manifest.version,
      changelog: manifest.changelog,
      appVersion: manifest.app_version,
      exercises: manifest.exercises,
      bytes: stored,
      savedAt: new Date().toISOString(),
      unseenChanges: previous?.unseenChanges || [],
      available: true,
    };
    await savedPut(record);
    // Ask the browser not to evict saved routines when space runs low (it may say no).
    navigator.storage?.persist?.().catch(() => false);
    return record;
  }

  /* ---------- keeping saved routines current ---------- */

  // Asks the server which saved routines have a newer version, re-downloads those (and
  // all of them after an app or content change, so saved pages match the app), and keeps
  // the changelog lines until the person has seen them.
  // One check at a time: app start, a push and coming back online may all ask at once. A
  // forced check asked for meanwhile runs right after, since it may know of newer news.
  let syncing = null;
  let again = false;
  function syncCheck({ force = false } = {}) {
    if (syncing) {
      again ||= force;
      return syncing;
    }
    syncing = runSyncCheck(force).finally(() => {
      syncing = null;
      if (again) {
        again = false;
        syncCheck({ force: true });
      }
    });
    return syncing;
  }

  async function runSyncCheck(force) {
    if (!navigator.onLine) return;
    if (!force && Date.now() - lastSync < SYNC_EVERY_MS) return;
    lastSync = Date.now();
    registration?.update().catch(() => undefined);
    const saved = await savedList();
    if (!saved.length) return;
    const query = saved.map((r) => `routine=${encodeURIComponent(`${r.slug}:${r.version}`)}`);
    let answer;
    try {
      const response = await fetch(`${SYNC_URL}?${query.join("&")}`, { cache: "no-store" });
      if (!response.ok) return;
      answer = await response.json();
    } catch {
      return; // the network went away meanwhile: try again next time
    }
    for (const routine of answer.routines) {
      const record = saved.find((r) => r.slug === routine.slug);
      if (!record) continue;
      if (!routine.available) {
        await savedPut({ ...record, available: false });
        continue;
      }
      if (!routine.updated && record.appVersion === answer.app_version) continue;
      try {
        const fresh = await saveRoutine(manifestUrlFor(record.slug));
        if (routine.updated) {
          fresh.unseenChanges = [...record.unseenChanges, ...routine.changes];
          await savedPut(fresh);
        }
      } catch {
        // Keep the copy we have: an old routine beats none in a gym with no signal.
      }
    }
    await render();
  }

  const manifestUrlFor = (slug) =>
    `/api/v1/routines/${encodeURIComponent(slug)}/offline-manifest`;

  /* ---------- the page ---------- */

  function formatBytes(bytes) {
    if (bytes < 1024) return `${bytes} B`;
    if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
    if (bytes < 1024 * 1024 * 1024) return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    return `${(bytes / 1024 / 1024 / 1024).toFixed(1)} GB`;
  }

  function formatDate(iso) {
    return new Date(iso).toLocaleDateString("en-GB", { day: "numeric", month: "short" });
  }

  function element(tag, props = {}, ...children) {
    const node = Object.assign(document.createElement(tag), props);
    node.append(...children.filter((c) => c !== null && c !== undefined));
    return node;
  }

  // The "Save for offline" block on a routine page.
  async function renderSaveBlock() {
    const block = document.querySelector("[data-save-offline]");
    if (!block) return;
    const button = block.querySelector("[data-save-button]");
    const progress = block.querySelector("[data-save-progress]");
    const status = block.querySelector("[data-save-status]");
    const record = await savedGet(block.dataset.slug);
    block.hidden = false;
    block.classList.toggle("is-saved", Boolean(record));
    if (record) {
      button.hidden = true;
      progress.hidden = true;
      status.replaceChildren(
        element("span", { className: "saved-tick", textContent: "Saved for offline" }),
        ` · ${formatBytes(record.bytes)} · `,
        element("a", { href: "/offline/", textContent: "Manage" }),
      );
    } else {
      button.hidden = false;
      button.disabled = !navigator.onLine;
      status.textContent = navigator.onLine ? "" : "Connect to save this routine for offline.";
    }
    if (block.dataset.bound) return;
    block.dataset.bound = "1";
    button.addEventListener("click", async () => {
      button.disabled = true;
      button.textContent = "Saving…";
      progress.hidden = false;
      progress.value = 0;
      status.textContent = "Saving for offline…";
      try {
        await saveRoutine(block.dataset.manifestUrl, (share) => {
          progress.value = share;
          status.textContent = `Saving for offline… ${Math.round(share * 100)}%`;
        });
      } catch {
        status.textContent = "Couldn't save: the connection dropped. Try again.";
        button.textContent = "Save for offline";
        button.disabled = false;
        progress.hidden = true;
        return;
      }
      button.textContent = "Save for offline";
      await render();
    });
  }

  // The list on /offline/ ("My routines"), with sizes, dates and Remove.
  async function renderSavedList() {
    const list = document.querySelector("[data-saved-list]");
    if (!list) return;
    const saved = await savedList();
    document.querySelector("[data-saved-empty]").hidden = saved.length > 0;
    list.replaceChildren(
      ...saved.map((record) => {
        const facts = [
          `${record.exercises} exercises`,
          formatBytes(record.bytes),
          `saved ${formatDate(record.savedAt)}`,
          `version ${record.version}`,
        ];
        const remove = element("button", {
          type: "button",
          className: "remove-button",
          textContent: "Remove",
        });
        remove.setAttribute("aria-label", `Remove ${record.title}`);
        remove.addEventListener("click", async () => {
          await savedRemove(record.slug);
          await render();
        });
        return element(
          "li",
          { className: "saved-item" },
          element(
            "a",
            { className: "card", href: record.url },
            element("span", { className: "card-title", textContent: record.title }),
            element("span", { className: "card-text", textContent: facts.join(" · ") }),
            record.available
              ? null
              : element("span", {
                  className: "card-text",
                  textContent: "The clinic no longer offers this routine.",
                }),
          ),
          remove,
        );
      }),
    );
    const note = document.querySelector("[data-offline-note]");
    // Shown when this page stands in for one that isn't saved.
    if (note) note.hidden = navigator.onLine || location.pathname === "/offline/";
    const estimate = document.querySelector("[data-storage-estimate]");
    if (estimate) {
      const total = saved.reduce((sum, r) => sum + r.bytes, 0);
      const parts = [`Saved routines take ${formatBytes(total)} on this phone.`];
      const storage = navigator.storage;
      if (storage?.estimate) {
        const { usage, quota } = await storage.estimate();
        parts.push(`Footing uses ${formatBytes(usage)} of the ${formatBytes(quota)} it may use.`);
      }
      if (storage?.persisted && (await storage.persisted())) {
        parts.push("They stay until you remove them.");
      } else if (saved.length) {
        parts.push("If the phone runs very low on space, it may clear them.");
      }
      estimate.textContent = parts.join(" ");
    }
  }

  // "Updated: …" notices for saved routines the clinic changed, until dismissed.
  async function renderNotices() {
    const box = document.querySelector("[data-routine-notices]");
    if (!box) return;
    const changed = (await savedList()).filter((r) => r.unseenChanges?.length);
    box.replaceChildren(
      ...changed.map((record) => {
        const ok = element("button", { type: "button", className: "notice-ok", textContent: "OK" });
        ok.addEventListener("click", async () => {
          const current = await savedGet(record.slug);
          if (current) await savedPut({ ...current, unseenChanges: [] });
          await renderNotices();
        });
        return element(
          "div",
          { className: "routine-notice", role: "status" },
          element(
            "p",
            { className: "notice-title" },
            "Updated: ",
            element("a", { href: record.url, textContent: record.title }),
            ` (version ${record.version})`,
          ),
          element(
            "ul",
            { className: "notice-changes" },
            ...record.unseenChanges.map((c) =>
              element("li", { textContent: `Version ${c.version}: ${c.changelog}` }),
            ),
          ),
          ok,
        );
      }),
    );
  }

  // Offline: the quiet banner, and links to pages not on the phone marked as such.
  async function renderNetwork() {
    const offline = !navigator.onLine;
    const banner = document.querySelector("[data-net-banner]");
    if (banner) banner.hidden = !offline;
    document.documentElement.classList.toggle("is-offline", offline);
    const links = [...document.querySelectorAll("a[href]")].filter((a) => {
      const url = new URL(a.href, location.href);
      return url.origin === location.origin && !url.pathname.startsWith("/static/");
    });
    if (!offline) {
      for (const link of links) delete link.dataset.unsaved;
      return;
    }
    const names = (await caches.keys()).filter(
      (n) => n.startsWith("footing-") && !n.startsWith("footing-partials-") && n !== INDEX,
    );
    const opened = await Promise.all(names.map((n) => caches.open(n)));
    await Promise.all(
      links.map(async (link) => {
        const url = new URL(link.href, location.href);
        url.hash = "";
        let found = false;
        for (const cache of opened) {
          if (await cache.match(url.href, { ignoreVary: true })) {
            found = true;
            break;
          }
        }
        if (found) delete link.dataset.unsaved;
        else link.dataset.unsaved = "";
      }),
    );
  }

  /* ---------- app updates ---------- */

  // The guided session player (#player) counts as a session from the moment it is open, so
  // an update is never offered there even before it marks itself.
  const inSession = () => document.querySelector("[data-session-active], #player") !== null;

  function renderUpdate() {
    const bar = document.querySelector("[data-update-bar]");
    if (!bar) return;
    bar.hidden = !waitingWorker || inSession();
    const button = bar.querySelector("[data-update-button]");
    if (button.dataset.bound) return;
    button.dataset.bound = "1";
    button.addEventListener("click", () => {
      if (!waitingWorker || inSession()) return;
      updating = true;
      button.disabled = true;
      waitingWorker.postMessage({ type: "SKIP_WAITING" });
    });
  }

  function watchForUpdates(reg) {
    const offer = (worker) => {
      // The first install has no controller: nothing to update from.
      if (!navigator.serviceWorker.controller) return;
      waitingWorker = worker;
      renderUpdate();
    };
    if (reg.waiting) offer(reg.waiting);
    reg.addEventListener("updatefound", () => {
      const worker = reg.installing;
      worker?.addEventListener("statechange", () => {
        if (worker.state === "installed") offer(worker);
      });
    });
    navigator.serviceWorker.addEventListener("controllerchange", () => {
      // Only the tap reloads; a swap made from another tab leaves this page alone.
      if (updating) location.reload();
    });
  }

  /* ---------- wiring ---------- */

  async function render() {
    renderUpdate();
    await Promise.all([renderSaveBlock(), renderSavedList(), renderNotices(), renderNetwork()]);
  }

  navigator.serviceWorker
    .register("/sw.js", { scope: "/", updateViaCache: "none" })
    .then((reg) => {
      registration = reg;
      watchForUpdates(reg);
    })
    .catch(() => undefined);

  render();
  syncCheck({ force: true });
  window.addEventListener("online", () => {
    render();
    syncCheck({ force: true });
  });
  window.addEventListener("offline", render);
  // hx-boost swaps the body: draw this page's parts again, and check now and then.
  document.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.boosted || event.target === document.body) {
      render();
      syncCheck();
    }
  });
  // A push from the clinic says a routine changed: check now.
  navigator.serviceWorker.addEventListener("message", (event) => {
    if (event.data?.type === "SYNC") syncCheck({ force: true });
  });
  // Back and Forward bring a page back without a settle event.
  document.addEventListener("htmx:historyRestore", () => render());
  // A session ending (its mark removed) may let a waiting update be offered.
  new MutationObserver(renderUpdate).observe(document.body, {
    subtree: true,
    childList: true,
    attributes: true,
    attributeFilter: ["data-session-active"],
  });

  // For other page modules and tests: what is saved, and a way to check now.
  window.footingOffline = { savedList, syncCheck: () => syncCheck({ force: true }) };
})();
