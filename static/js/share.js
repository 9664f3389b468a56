// "Share" and "Print" for a routine ([data-module="share"]): the phone's own share sheet
// where there is one (Web Share API), otherwise the link copied, or shown to copy by hand.
export function init(root) {
  const status = root.querySelector("[data-share-status]");
  const share = root.querySelector("[data-share]");
  const print = root.querySelector("[data-print]");
  const link = new URL(root.dataset.shareUrl || location.pathname, location.href).href;
  const title = root.dataset.shareTitle || document.title;
  const say = (text) => {
    if (status) status.textContent = text;
  };

  if (share) {
    share.hidden = false;
    share.addEventListener("click", async () => {
      if (navigator.share) {
        try {
          await navigator.share({ title, url: link });
          return;
        } catch (error) {
          if (error.name === "AbortError") return; // the person closed the share sheet
        }
      }
      try {
        await navigator.clipboard.writeText(link);
        say("Link copied: paste it in a message or an email.");
      } catch {
        say(`Copy this link: ${link}`);
      }
    });
  }
  if (print) {
    print.hidden = false;
    print.addEventListener("click", () => window.print());
  }
}
