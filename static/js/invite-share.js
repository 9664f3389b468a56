// Passing an invitation on (templates/clinic/_invite_share.html): "Copy link" puts the
// join link on the clipboard, "Share…" opens the phone's share sheet (Web Share API) where
// there is one. Both stay hidden where they cannot work; the link, the QR code, "Email
// it" and "Text it" work without JavaScript. A page module ([data-module="invite-share"]).

// What the share sheet gets, from the box's data attributes.
export function shareData(dataset) {
  return { title: dataset.shareTitle, text: dataset.shareText, url: dataset.shareUrl };
}

export function init(box, { nav = globalThis.navigator } = {}) {
  const copy = box.querySelector("[data-copy]");
  const share = box.querySelector("[data-share-button]");
  const input = box.querySelector("[data-invite-link]");
  const state = box.querySelector("[data-share-state]");
  const say = (text) => { if (state) state.textContent = text; };

  async function copyLink() {
    try {
      await nav.clipboard.writeText(box.dataset.shareUrl);
      say("Link copied. Paste it into a message to the patient.");
    } catch {
      // No clipboard permission: select the link so a long press copies it.
      input?.focus();
      input?.select();
      say("Select the link above and copy it.");
    }
  }

  async function shareLink() {
    try {
      await nav.share(shareData(box.dataset));
      say("Shared.");
    } catch (error) {
      if (error?.name !== "AbortError") say("Sharing didn't work here: copy the link instead.");
    }
  }

  if (copy && nav?.clipboard?.writeText) {
    copy.hidden = false;
    copy.addEventListener("click", copyLink);
  }
  if (share && typeof nav?.share === "function" && (!nav.canShare || nav.canShare(shareData(box.dataset)))) {
    share.hidden = false;
    share.addEventListener("click", shareLink);
  }
  input?.addEventListener("focus", () => input.select());
}
