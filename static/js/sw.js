/* Footing's service worker: keeps the app working with no signal.
 *
 * Served by pwa/views/offline.py at /sw.js (so its scope is the whole app), with
 *   const FOOTING = { version, precache, offlineUrl, staticUrl, icon, urls };
 * prepended, and its `./x.js` imports pointed at the hashed static files: `version`
 * changes with the static files and the content, `precache` is the app shell generated
 * from the staticfiles manifest (hashed names). A new version makes the browser install
 * a new worker, which then WAITS: the page offers "Update" and only a tap
 * (static/js/update-bar.js) tells it to take over, so nothing swaps mid-session.
 *
 * A module worker (registered with {type: "module"} by offline.js), not a classic one:
 * the outbox is an ES module shared with the pages, and a classic worker's
 * importScripts() cannot load a module, so a classic worker would need a second copy of
 * the outbox. Module workers run in Chrome/Edge 91+, Safari 15+ and Firefox 147+; the
 * only browsers with Background Sync (Chromium's) are among them. No write is lost
 * either way: the outbox lives in IndexedDB and the pages replay it on start, on
 * `online` and on coming to the foreground. A browser too old for module workers only
 * loses the offline copies; a classic worker installed before this one keeps running
 * (with its own stored copy of the old outbox, reading the old database the pages now
 * empty into the new one) until the person taps Update. The server upserts by UUID, so
 * a write replayed by both still makes one row.
 *
 * Caches:
 *   footing-shell-<version>   the app shell, filled on install
 *   footing-pages-<version>   full pages fetched online (navigations and boosted links)
 *   footing-partials-<version> htmx partials (keyed with their HX-Request header: Vary)
 *   footing-static-<version>  hashed static files met at run time (e.g. illustrations)
 *   footing-api-<version>     content API reads, served stale-while-revalidate
 *   footing-saved-<slug>      one per routine saved for offline (saved-store.js)
 *   footing-saved-index       what is saved: title, version, size, date (saved-store.js)
 * Versioned caches of older versions are deleted on activate; saved routines are not
 * versioned and survive updates (sync-check.js refreshes them on its next check).
 *
 * Rules: only GET and same-origin requests are touched; only ok, non-redirected
 * responses the server marked `public` are cached (footing/storable.py: the answers that
 * are the same for everyone); nothing made for a session is ever kept, since phones are
 * shared and a cache outlives a log-out. Anything else goes to the network untouched.
 */
// The pages' outbox (check-ins, session logs waiting for the server), imported here too
// so Background Sync can replay it when the connection returns, even with no page open.
import { outbox, SYNC_TAG } from "./outbox.js";
import { readMessage } from "./push-message.js";
import { configureUrls } from "./urls.js";

configureUrls(FOOTING.urls);

const SHELL = `footing-shell-${FOOTING.version}`;
const PAGES = `footing-pages-${FOOTING.version}`;
const PARTIALS = `footing-partials-${FOOTING.version}`;
const STATIC = `footing-static-${FOOTING.version}`;
const API = `footing-api-${FOOTING.version}`;
const CURRENT = [SHELL, PAGES, PARTIALS, STATIC, API];
const SAVED_PREFIX = "footing-saved-";

// Long enough for a slow gym connection, short enough that a saved page still feels
// instant when the signal is technically there but useless.
const NAVIGATION_TIMEOUT_MS = 3000;

// Whitenoise's hashed names: app.3f2a9c1b7d4e.css. Those never change, so cache first.
const HASHED = /\.[0-9a-f]{12}\.[a-z0-9]+$/;
// Content reads the app may show offline. Not /sync or the offline manifest: those exist
// to ask the server what is current, so a cached answer would defeat them.
const CONTENT_API = /^\/api\/v1\/(conditions|exercises|routines)(\/[^/]+)?(\/versions\/\d+)?$/;

// The first install shares the phone's cores with the page that registered it (at once, so
// the app works offline from the first visit). Its shell (~80 files and pages) is fetched
// only once the open pages have loaded and gone idle, a few files at a time and at low
// priority, so it never competes with a page's first paint or its start-up: each page is
// asked ("SHELL_WAITS", offline.js answers "PAGE_SETTLED") and the install goes on when all
// have answered, or after ten seconds if one never does (an older version's page).
const SHELL_BATCH = 8;
const PAGES_SETTLE_MS = 10_000;
let pageSettled = () => undefined;

self.addEventListener("install", (event) => {
  event.waitUntil(pagesSettled().then(precacheShell));
  // No skipWaiting() here: a waiting worker is swapped in only when the person taps Update.
});

async function pagesSettled() {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  if (!windows.length) return;
  const waiting = new Set(windows.map((client) => client.id));
  await new Promise((resolve) => {
    setTimeout(resolve, PAGES_SETTLE_MS);
    pageSettled = (id) => {
      waiting.delete(id);
      if (!waiting.size) resolve();
    };
    for (const client of windows) client.postMessage({ type: "SHELL_WAITS" });
  });
  pageSettled = () => undefined;
}

async function precacheShell() {
  const cache = await caches.open(SHELL);
  // `reload`: straight from the server, never from the HTTP cache, so the shell is exactly
  // this version's. `omit`: as nobody, so the shell's pages hold no one's data whoever
  // happens to be logged in when the worker installs. One batch failing fails the install
  // (the worker is never used); what the batches before it stored stays right (hashed
  // files, pages as nobody) and the next attempt fills the rest.
  const requests = FOOTING.precache.map(
    (url) => new Request(url, { cache: "reload", credentials: "omit", priority: "low" }),
  );
  for (let start = 0; start < requests.length; start += SHELL_BATCH) {
    await cache.addAll(requests.slice(start, start + SHELL_BATCH));
  }
}

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      for (const name of await caches.keys()) {
        const versioned = name.startsWith("footing-") && !name.startsWith(SAVED_PREFIX);
        if (versioned && !CURRENT.includes(name)) await caches.delete(name);
      }
      // Take the pages that are already open (the first install, or after Update).
      await self.clients.claim();
    })(),
  );
});

self.addEventListener("message", (event) => {
  if (event.data?.type === "SKIP_WAITING") self.skipWaiting();
  if (event.data?.type === "VERSION") event.ports[0]?.postMessage(FOOTING.version);
  if (event.data?.type === "PAGE_SETTLED") pageSettled(event.source?.id);
});

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") {
    // Writes are never cached (the outbox owns them). A form sent as a plain navigation
    // (tapped before its page's script started, or a page without one) that cannot reach
    // the server gets "not sent" on the offline page, not the browser's error page.
    if (request.mode === "navigate") event.respondWith(fetch(request).catch(() => notSent()));
    return;
  }
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname === FOOTING.urls.serviceWorker) return;

  // hx-boost links are fetches, not navigations, but they ask for the same full page; so
  // does htmx restoring a page on Back (its history cache is off, so it asks again).
  const wantsPage =
    request.headers.get("HX-Boosted") === "true" ||
    request.headers.get("HX-History-Restore-Request") === "true";
  if (request.mode === "navigate" || wantsPage) {
    event.respondWith(page(request));
  } else if (request.headers.has("HX-Request")) {
    event.respondWith(partial(request));
  } else if (url.pathname.startsWith(FOOTING.staticUrl)) {
    event.respondWith(HASHED.test(url.pathname) ? cacheFirst(request) : networkFirst(request));
  } else if (CONTENT_API.test(url.pathname)) {
    // A page asking for a fresh copy (offline.js refreshing a saved routine) gets one.
    const fresh = request.cache === "no-cache" || request.cache === "reload";
    event.respondWith(fresh ? networkFirst(request, API) : staleWhileRevalidate(event, request));
  }
  // Everything else (other API calls, the offline manifest, sync): the network, as usual.
});

/* Web Push (notifications/push.py): the morning reminder, "Today: <routine>", the clinic's
 * notices. Shown with the app's icon; a tap opens the page it names. A push that cannot
 * be read shows nothing (push-message.js). Open pages are told to check their saved
 * routines now rather than at their next start. */
self.addEventListener("push", (event) => {
  const message = event.data ? readMessage(event.data.text(), self.location.origin) : null;
  if (!message) return;
  event.waitUntil(
    (async () => {
      await self.registration.showNotification(message.title, {
        body: message.body,
        tag: message.tag || undefined,
        icon: FOOTING.icon,
        badge: FOOTING.icon,
        lang: "en",
        data: { url: message.url },
      });
      for (const client of await self.clients.matchAll({ type: "window" })) {
        client.postMessage({ type: "SYNC" });
      }
    })(),
  );
});

/* A tapped notification opens its page: in the Footing window already showing it, else
 * in an open Footing window (navigated there), else in a new one. */
self.addEventListener("notificationclick", (event) => {
  event.notification.close();
  const target = new URL(event.notification.data?.url || "/", self.location.origin).href;
  event.waitUntil(openPage(target));
});

async function openPage(target) {
  const windows = await self.clients.matchAll({ type: "window", includeUncontrolled: true });
  const showing = windows.find((w) => w.url === target);
  if (showing) return showing.focus().catch(() => undefined);
  for (const open of windows) {
    // navigate() works on a window this worker controls; focus() may be refused without
    // the tap's permission to take the foreground, and the page is there either way.
    const moved = await open.navigate(target).catch(() => null);
    if (moved) return moved.focus().catch(() => undefined);
  }
  return self.clients.openWindow(target);
}

/* Pages: network first with a timeout, then any cached copy, then the offline page. */
async function page(request) {
  const network = fetch(request).then((response) => {
    if (storable(response)) {
      // Keyed by URL alone: a boosted fetch and a navigation want the same full page.
      const copy = response.clone();
      caches.open(PAGES).then((cache) => cache.put(request.url, copy)).catch(() => undefined);
    }
    return response;
  });
  network.catch(() => undefined); // its failure is handled below, whichever way we go
  try {
    const response = await timeout(network, NAVIGATION_TIMEOUT_MS);
    // A server or proxy in trouble: a saved copy is more use than an error page.
    if (response.status >= 500) return (await cachedPage(request.url)) || response;
    return response;
  } catch {
    // Offline, or the network is too slow: a copy on the phone wins if there is one...
    const cached = await cachedPage(request.url);
    if (cached) return cached;
    // ...otherwise keep waiting for the network, and give up only when it fails.
    try {
      return await network;
    } catch {
      return (await caches.match(FOOTING.offlineUrl, { ignoreVary: true })) || Response.error();
    }
  }
}

/* Where a form that did not go is sent (a GET: the offline page, which says so). */
function notSent() {
  return Response.redirect(`${FOOTING.offlineUrl}?not-sent`, 303);
}

/* A full page from the freshest place: pages visited online, then saved routines, then the
 * shell. `ignoreVary`: pages vary on HX-Request, but only full pages are stored here (never
 * partials), so a navigation and a boosted fetch may share them. */
async function cachedPage(url) {
  const names = await caches.keys();
  const order = [PAGES, ...names.filter((n) => n.startsWith(SAVED_PREFIX)), SHELL];
  for (const name of order) {
    if (!names.includes(name)) continue;
    const hit = await (await caches.open(name)).match(url, { ignoreVary: true });
    if (hit) return hit;
  }
  return undefined;
}

/* htmx partials (e.g. a filter swapping a list): network first, then the partial cached for
 * the same request; the stored request keeps its HX-Request header, so Vary holds. */
async function partial(request) {
  const cache = await caches.open(PARTIALS);
  try {
    const response = await fetch(request);
    if (storable(response)) await cache.put(request, response.clone());
    return response;
  } catch {
    const hit = await cache.match(request);
    if (hit) return hit;
    for (const name of (await caches.keys()).filter((n) => n.startsWith(SAVED_PREFIX))) {
      const saved = await (await caches.open(name)).match(request);
      if (saved) return saved;
    }
    return Response.error(); // htmx reports a send error; the page stays as it is
  }
}

/* Hashed static files never change: any cached copy is right. */
async function cacheFirst(request) {
  const hit = await caches.match(request, { ignoreVary: true });
  if (hit) return hit;
  try {
    const response = await fetch(request);
    if (storable(response)) await (await caches.open(STATIC)).put(request, response.clone());
    return response;
  } catch (error) {
    // A page saved by an older version of the app asks for an older hash of a stylesheet
    // or script; the current one is a better answer than none.
    const pathname = new URL(request.url).pathname;
    return (
      (await currentVersionOf(pathname)) ||
      (await otherWidthOf(pathname)) ||
      Promise.reject(error)
    );
  }
}

// Illustrations come in several widths (`<slug>-<kind>-<width>.<hash>.webp`) and a page's
// srcset picks one by screen density; a saved routine keeps one width. Offline, any width
// of the same picture beats a broken image.
// The widest one kept is the sharpest stand-in.
const RENDITION = /-(\d+)\.[0-9a-f]{12}\.webp$/;

async function otherWidthOf(pathname) {
  const stem = pathname.replace(RENDITION, "");
  if (stem === pathname) return undefined;
  let best;
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    for (const key of await cache.keys()) {
      const path = new URL(key.url).pathname;
      if (path.replace(RENDITION, "") !== stem) continue;
      const width = Number(path.match(RENDITION)[1]);
      if (!best || width > best.width) best = { width, cache, key };
    }
  }
  return best ? best.cache.match(best.key) : undefined;
}

async function currentVersionOf(pathname) {
  const [stem, extension] = [pathname.replace(HASHED, ""), pathname.split(".").pop()];
  const shell = await caches.open(SHELL);
  for (const key of await shell.keys()) {
    const path = new URL(key.url).pathname;
    if (path.replace(HASHED, "") === stem && path.endsWith(`.${extension}`)) {
      return shell.match(key);
    }
  }
  return undefined;
}

async function networkFirst(request, cacheName = STATIC) {
  try {
    const response = await fetch(request);
    if (storable(response)) await (await caches.open(cacheName)).put(request, response.clone());
    return response;
  } catch (error) {
    return (await caches.match(request, { ignoreVary: true })) || Promise.reject(error);
  }
}

/* Content API reads: answer from the cache at once, refresh it in the background. */
async function staleWhileRevalidate(event, request) {
  const cache = await caches.open(API);
  const hit = (await cache.match(request)) || (await caches.match(request));
  const network = fetch(request).then(async (response) => {
    if (storable(response)) await cache.put(request, response.clone());
    return response;
  });
  if (!hit) return network;
  event.waitUntil(network.catch(() => undefined));
  return hit;
}

// Kept only when the server said it is the same for everyone (`public`); an answer made
// for a session says `private, no-store` and is never kept.
function storable(response) {
  const said = (response.headers.get("Cache-Control") || "").toLowerCase();
  return (
    response.ok &&
    response.type === "basic" &&
    !response.redirected &&
    /\bpublic\b/.test(said) &&
    !/\b(private|no-store)\b/.test(said)
  );
}

function timeout(promise, ms) {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error("timeout")), ms);
    promise.then(
      (value) => {
        clearTimeout(timer);
        resolve(value);
      },
      (error) => {
        clearTimeout(timer);
        reject(error);
      },
    );
  });
}

// Background Sync (where the browser has it): the outbox registered this tag when a write
// could not be sent; the browser fires it once the phone is online. What still waits
// afterwards (server trouble, in its backoff) fails the event, so the browser tries
// again later by its own schedule, even with no page of Footing open.
self.addEventListener("sync", (event) => {
  if (event.tag === SYNC_TAG) {
    event.waitUntil(
      (async () => {
        await outbox.replay({ reconnected: true });
        const waiting = (await outbox.pending()).filter((i) => i.state === "pending");
        if (waiting.length) throw new Error(`${waiting.length} write(s) still waiting`);
      })(),
    );
  }
});
