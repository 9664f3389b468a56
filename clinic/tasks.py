"""Work that runs off the request path (Django 6 `django.tasks`)."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse

from clinic import push
from clinic.selectors.push import push_recipients
from clinic.services import push_gone, push_sent
from library.models import RoutineVersion

UPDATED_TITLE = "Your routine was updated"


@task
def routine_updated_notify(*, version_id: int) -> int:
    """Tell subscribed patients who have the routine prescribed; returns how many got it."""
    version = RoutineVersion.objects.select_related("routine").filter(pk=version_id).first()
    if version is None:
        return 0
    message = {
        "title": UPDATED_TITLE,
        "body": f"{version.snapshot['title']} v{version.number}: {version.changelog}",
        "url": reverse("pwa:routine", args=[version.routine.slug]),
        "tag": f"routine-{version.routine.slug}",
    }
    delivered = 0
    for subscription in push_recipients(version=version):
        result = push.send(
            endpoint=subscription.endpoint,
            p256dh=subscription.p256dh,
            auth=subscription.auth,
            message=message,
        )
        if result.gone:
            push_gone(subscription=subscription)
        elif result.ok:
            push_sent(subscription=subscription)
            delivered += 1
    return delivered
