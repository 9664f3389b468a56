// Install guidance on the home page ([data-module="install"]): an Install button where the
// browser offers one (install-offer.js), the "Add to Home Screen" steps on an iPhone or
// iPad in Safari, and nothing once the app is installed.
import { currentOffer, forgetOffer, onOffer } from "./install-offer.js";

const installed = () => matchMedia("(display-mode: standalone)").matches || navigator.standalone === true;
// iPadOS says it is a Mac; a Mac has no touch screen.
const appleMobile = () =>
  /iPhone|iPad|iPod/.test(navigator.userAgent) ||
  (/Macintosh/.test(navigator.userAgent) && navigator.maxTouchPoints > 1);
// Only Safari can add to the Home Screen there; Chrome and Firefox on iOS say so themselves.
const safari = () => /Safari/.test(navigator.userAgent) && !/CriOS|FxiOS|EdgiOS/.test(navigator.userAgent);

export function init(card) {
  if (installed()) return;
  const button = card.querySelector("[data-install]");
  const steps = card.querySelector("[data-install-steps]");
  const draw = (offer) => {
    button.hidden = !offer;
    card.hidden = !offer && steps.hidden;
  };
  button.addEventListener("click", async () => {
    const offer = currentOffer();
    if (!offer) return;
    button.disabled = true;
    offer.prompt();
    await offer.userChoice; // installed or not, the offer is used up
    forgetOffer();
    button.disabled = false;
    draw(null);
  });
  if (appleMobile() && safari()) steps.hidden = false;
  draw(currentOffer());
  return onOffer(draw);
}
