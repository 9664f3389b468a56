// What a push from Footing's server may say (notifications/push.py `Message`): a title, a
// body, a page of this app to open, and a tag (a newer notice with the same tag replaces
// the older one on the phone). The service worker shows only what this accepts: a push
// that is not JSON, has no title, or whose fields are of the wrong kind shows nothing, and
// a link that would leave the app opens the app's home instead.

const TITLE_MAX = 80; // the server's own limits (notifications.models.Notice)
const BODY_MAX = 240;

export function readMessage(text, origin) {
  let data;
  try {
    data = JSON.parse(text);
  } catch {
    return null;
  }
  if (!data || typeof data !== "object" || Array.isArray(data)) return null;
  const { title, body = "", url = "/", tag = "" } = data;
  if (typeof title !== "string" || !title.trim()) return null;
  if (typeof body !== "string" || typeof tag !== "string") return null;
  return {
    title: title.slice(0, TITLE_MAX),
    body: body.slice(0, BODY_MAX),
    url: inApp(url, origin),
    tag,
  };
}

function inApp(url, origin) {
  if (typeof url !== "string") return "/";
  try {
    const target = new URL(url, origin);
    return target.origin === origin ? target.pathname + target.search + target.hash : "/";
  } catch {
    return "/";
  }
}
