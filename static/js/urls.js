// The URLs the JavaScript needs, never typed here: the server reverses them from one
// Python dict (pwa/js_urls.py) into _base.html as JSON (#footing-urls), and into the
// service worker's settings. A URL with a part to fill reads "/routines/{slug}/...".
let table = null;

// The service worker and the unit tests have no page to read: they hand the table over.
export function configureUrls(urls) {
  table = { ...urls };
}

function urls() {
  if (table) return table;
  const script = globalThis.document?.getElementById("footing-urls");
  if (!script) throw new Error("This page has no #footing-urls table");
  table = JSON.parse(script.textContent);
  return table;
}

export function url(name, params = {}) {
  const template = urls()[name];
  if (template === undefined) throw new Error(`No URL named "${name}" in #footing-urls`);
  return template.replace(/\{(\w+)\}/g, (_, key) => {
    if (params[key] === undefined) throw new Error(`The URL "${name}" needs a ${key}`);
    return encodeURIComponent(params[key]);
  });
}
