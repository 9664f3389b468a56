// The browser's offer to install the app (beforeinstallprompt), kept from the moment it
// comes: it may fire before any page module runs. install.js shows it on the home page.
let offer = null;
const listeners = new Set();

export function listen() {
  window.addEventListener("beforeinstallprompt", (event) => {
    event.preventDefault(); // ours to offer, when the person chooses
    offer = event;
    for (const listener of listeners) listener(offer);
  });
  window.addEventListener("appinstalled", () => {
    offer = null;
    for (const listener of listeners) listener(null);
  });
}

export const currentOffer = () => offer;
export const forgetOffer = () => (offer = null);
export function onOffer(listener) {
  listeners.add(listener);
  return () => listeners.delete(listener);
}
