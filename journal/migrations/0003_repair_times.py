"""Times outside 2000-01-01 .. 2100-01-01 repaired before the tables refuse them (0004)."""

import datetime

from django.db import migrations, models


EARLIEST = datetime.datetime(2000, 1, 1, tzinfo=datetime.timezone.utc)
CEILING = datetime.datetime(2100, 1, 1, tzinfo=datetime.timezone.utc)


def repair_out_of_bounds(apps, schema_editor):
    """Rows an older version let in (a day in year 1, an answer time in 9999) break the
    pages that show them. Such a time says nothing true; the moment the server received
    the check-in does, so it takes its place. A day moved onto another check-in's day
    would break the one-per-day rule: that row, unreadable anyway, goes."""
    CheckIn = apps.get_model("journal", "CheckIn")
    bad_time = models.Q(answered_at__lt=EARLIEST) | models.Q(answered_at__gte=CEILING)
    for checkin in CheckIn.objects.filter(bad_time):
        checkin.answered_at = checkin.created_at
        checkin.save(update_fields=["answered_at"])
    bad_day = models.Q(date__lt=EARLIEST.date()) | models.Q(date__gte=CEILING.date())
    for checkin in CheckIn.objects.filter(bad_day):
        day = checkin.created_at.date()
        if CheckIn.objects.filter(user_id=checkin.user_id, date=day).exists():
            checkin.delete()
        else:
            checkin.date = day
            checkin.save(update_fields=["date"])


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0002_drop_redundant_user_index'),
    ]

    operations = [
        migrations.RunPython(repair_out_of_bounds, migrations.RunPython.noop),
    ]
