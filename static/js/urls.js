// The URLs the JavaScript needs, never typed in it: reversed by the server from one dict
// (pwa/js_urls.py) into each page (#footing-urls) and the worker's settings. Parts to
// fill read "{day}".
let table = null;

// For the worker and the tests, which have no page.
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
