// Offline, on every page: the quiet banner, and links to pages that are not on the phone
// marked as such (data-unsaved), so nobody taps into a dead end in a gym with no signal.
import { INDEX } from "./saved-store.js";
import { url } from "./urls.js";

export async function drawNetwork() {
  const offline = !navigator.onLine;
  const banner = document.querySelector("[data-net-banner]");
  if (banner) banner.hidden = !offline;
  document.documentElement.classList.toggle("is-offline", offline);
  const links = [...document.querySelectorAll("a[href]")].filter((a) => {
    const target = new URL(a.href, location.href);
    return target.origin === location.origin && !target.pathname.startsWith(url("static"));
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
      const target = new URL(link.href, location.href);
      target.hash = "";
      let found = false;
      for (const cache of opened) {
        if (await cache.match(target.href, { ignoreVary: true })) {
          found = true;
          break;
        }
      }
      if (found) delete link.dataset.unsaved;
      else link.dataset.unsaved = "";
    }),
  );
}
