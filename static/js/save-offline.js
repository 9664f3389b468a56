// The "Save for offline" block on a routine page ([data-module="save-offline"]).
import { element, formatBytes } from "./dom.js";
import { redrawOnChange, saved } from "./saved-store.js";
import { url } from "./urls.js";

export function init(block) {
  const button = block.querySelector("[data-save-button]");
  const progress = block.querySelector("[data-save-progress]");
  const status = block.querySelector("[data-save-status]");
  let saving = false;

  async function draw() {
    if (saving) return;
    const record = await saved.get(block.dataset.slug);
    block.hidden = false;
    block.classList.toggle("is-saved", Boolean(record));
    if (record) {
      button.hidden = true;
      progress.hidden = true;
      status.replaceChildren(
        element("span", { className: "saved-tick", textContent: "Saved for offline" }),
        ` · ${formatBytes(record.bytes)} · `,
        element("a", { href: url("offline"), textContent: "Manage" }),
      );
    } else {
      button.hidden = false;
      button.disabled = !navigator.onLine;
      status.textContent = navigator.onLine ? "" : "Connect to save this routine for offline.";
    }
  }

  button.addEventListener("click", async () => {
    saving = true;
    button.disabled = true;
    button.textContent = "Saving…";
    progress.hidden = false;
    progress.value = 0;
    status.textContent = "Saving for offline…";
    try {
      await saved.save(block.dataset.manifestUrl, (share) => {
        progress.value = share;
        status.textContent = `Saving for offline… ${Math.round(share * 100)}%`;
      });
    } catch {
      status.textContent = "Couldn't save: the connection dropped. Try again.";
      progress.hidden = true;
      button.disabled = false;
      return;
    } finally {
      saving = false;
      button.textContent = "Save for offline";
    }
    await draw();
  });

  return redrawOnChange(draw);
}
