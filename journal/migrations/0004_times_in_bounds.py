import datetime

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0003_repair_times'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(('date__gte', datetime.date(2000, 1, 1)), ('date__lt', datetime.date(2100, 1, 1))), name='checkin_date_in_bounds'),
        ),
        migrations.AddConstraint(
            model_name='checkin',
            constraint=models.CheckConstraint(condition=models.Q(('answered_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('answered_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='checkin_answered_at_in_bounds'),
        ),
    ]
