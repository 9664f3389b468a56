// Keep the screen awake while a session plays. The browser drops the lock whenever the
// page hides; `keepAwake(true)` again when it is back takes it anew. Refused (battery
// saver, an old browser): the session still works, the screen may just dim.
let lock = null;

export async function keepAwake(wanted) {
  try {
    if (wanted && !lock && "wakeLock" in navigator && document.visibilityState === "visible") {
      lock = await navigator.wakeLock.request("screen");
      lock.addEventListener("release", () => (lock = null));
    } else if (!wanted && lock) {
      await lock.release();
    }
  } catch {
    lock = null;
  }
}
