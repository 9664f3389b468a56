"""Moving push subscriptions from clinic to notifications keeps every browser's row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("clinic", "0001_initial")]
AFTER = [("notifications", "0001_initial")]


@pytest.mark.django_db(transaction=True)
def test_existing_subscriptions_survive_the_move() -> None:
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    user = old.get_model("auth", "User").objects.create(username="pat")
    old.get_model("clinic", "PushSubscription").objects.create(
        user=user, endpoint="https://fcm.googleapis.com/fcm/send/kept", p256dh="k", auth="a"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)
    new = executor.loader.project_state(AFTER).apps
    (moved,) = new.get_model("notifications", "PushSubscription").objects.all()

    assert (moved.user_id, moved.endpoint) == (user.pk, "https://fcm.googleapis.com/fcm/send/kept")

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())  # back to today's schema
