"""Times outside 2000-01-01 .. 2100-01-01 repaired before the tables refuse them (0004)."""

import datetime

from django.db import migrations, models


EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
CEILING = datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc)


def repair_out_of_bounds(apps, schema_editor):
    """Sessions an older version let in (started in year 1) break the history pages. Such
    a time says nothing true; the moment the server received the log does, so an end
    out of bounds takes it, and a start out of bounds takes the end (a session of no
    length rather than one of two thousand years)."""
    SessionLog = apps.get_model("training", "SessionLog")

    def bad(field):
        return models.Q(**{f"{field}__lt": EARLIEST}) | models.Q(**{f"{field}__gte": CEILING})

    for log in SessionLog.objects.filter(bad("started_at") | bad("ended_at")):
        if not EARLIEST <= log.ended_at < CEILING:
            log.ended_at = log.received_at
        if not EARLIEST <= log.started_at <= log.ended_at:
            log.started_at = log.ended_at
        log.save(update_fields=["started_at", "ended_at"])


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0002_drop_redundant_user_index'),
    ]

    operations = [
        migrations.RunPython(repair_out_of_bounds, migrations.RunPython.noop),
    ]
