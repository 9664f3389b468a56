"""A phone upgraded from the Footing that kept its outbox and the player's progress in two
IndexedDB databases of their own: nothing waiting there is lost, and nothing is sent twice."""

from __future__ import annotations

import uuid

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from e2e.test_checkin import log_in, runner
from journal.models import CheckIn
from tests.waiting import poll

# The worker opens the same IndexedDB database (db.js) that the upgrade moves.
pytestmark = pytest.mark.worker

ROUTINE = "plantar-fasciitis-pain-management"

# The databases exactly as the old outbox.js and player.js created them (version 1).
OLD_DATABASES = """async ({ item, progress, history }) => {
  const open = (name, create) => new Promise((resolve, reject) => {
    const request = indexedDB.open(name, 1);
    request.onupgradeneeded = () => create(request.result);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
  const write = (db, name, value, key) => new Promise((resolve, reject) => {
    const tx = db.transaction(name, "readwrite");
    key === undefined ? tx.objectStore(name).put(value) : tx.objectStore(name).put(value, key);
    tx.oncomplete = resolve;
    tx.onerror = () => reject(tx.error);
  });
  const outbox = await open("footing-outbox", (db) =>
    db.createObjectStore("items", { keyPath: "id" }));
  if (item) await write(outbox, "items", item);
  outbox.close();
  const player = await open("footing-player", (db) => {
    db.createObjectStore("progress");
    db.createObjectStore("history", { keyPath: "client_id" });
  });
  if (progress) await write(player, "progress", progress, progress.routine);
  if (history) await write(player, "history", history);
  player.close();
}"""

OLD_OUTBOX_ITEMS = """() => new Promise((resolve) => {
  const request = indexedDB.open("footing-outbox");
  request.onsuccess = () => {
    const read = request.result.transaction("items").objectStore("items").getAll();
    read.onsuccess = () => { request.result.close(); resolve(read.result); };
  };
})"""


def old_item(client_id: str, owner: str) -> dict:
    now = int(timezone.now().timestamp() * 1000)
    return {
        "id": client_id,
        "url": "/api/v1/checkins",
        "method": "POST",
        "body": {
            "client_id": client_id,
            "date": timezone.localdate().isoformat(),
            "first_step_pain": 6,
            "locations": [],
            "red_flags": [],
        },
        "label": "Check-in",
        "owner": owner,
        "csrf": "",
        "created": now,
        "attempts": 1,
        "nextAttempt": now,
        "state": "pending",
    }


def test_an_unsent_check_in_kept_by_the_old_outbox_is_sent_once_after_the_upgrade(
    app: str, page: Page
) -> None:
    user = runner()
    log_in(page, app)
    client_id = str(uuid.uuid4())
    old = {"item": old_item(client_id, user.username), "progress": None, "history": None}
    page.evaluate(OLD_DATABASES, old)

    page.reload()  # the new code opens its one database and moves the old records over

    poll(lambda: CheckIn.objects.filter(client_id=client_id).exists(), "the check-in was sent")
    assert CheckIn.objects.get().first_step_pain == 6
    assert page.evaluate(OLD_OUTBOX_ITEMS) == []  # moved, so never replayed from there again
    page.reload()
    expect(page.get_by_role("heading", name="Morning check-in")).to_be_visible()
    page.evaluate("window.FootingOutbox.replay({force: true})")
    assert CheckIn.objects.count() == 1


def test_a_session_in_progress_and_the_phones_history_survive_the_upgrade(
    app: str, page: Page
) -> None:
    started = int(timezone.now().timestamp() * 1000) - 600_000
    history = {
        "client_id": str(uuid.uuid4()),
        "routine": ROUTINE,
        "version": 1,
        "title": "Plantar heel pain: calm it down",
        "started_at": timezone.now().isoformat(),
        "ended_at": timezone.now().isoformat(),
        "names": {"towel-curl": "Towel curl"},
        "exercises": [
            {"position": 1, "exercise": "towel-curl", "sets_done": 2, "skipped": False, "pain": 3}
        ],
    }
    page.goto(f"{app}/routines/{ROUTINE}/play/")
    expect(page.get_by_role("button", name="Start", exact=True)).to_be_enabled()
    items = page.evaluate("() => JSON.parse(document.getElementById('player-data').textContent)")
    progress = {
        "id": str(uuid.uuid4()),
        "routine": ROUTINE,
        "version": items["version"],
        "title": items["title"],
        "items": items["items"],
        "startedAt": started,
        "item": 1,
        "set": 1,
        "side": None,
        "phase": "work",
        "phaseStart": started,
        "pausedAt": None,
        "reps": 0,
        "results": [],
    }
    page.evaluate(OLD_DATABASES, {"item": None, "progress": progress, "history": history})

    page.reload()
    second = items["items"][1]["exercise"]["name"]
    expect(page.locator(".player-resume-text")).to_have_text(
        f"You stopped at {second}, set 1 of {items['items'][1]['sets']}."
    )
    page.goto(f"{app}/history/")
    expect(page.get_by_text("This week: 1 session")).to_be_visible()
    expect(page.locator("#local-sessions .session-lines")).to_contain_text("Towel curl: pain 3/10")
