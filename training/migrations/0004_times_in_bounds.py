import datetime

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0003_repair_times'),
    ]

    operations = [
        migrations.AddConstraint(
            model_name='sessionlog',
            constraint=models.CheckConstraint(condition=models.Q(('started_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('started_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='session_started_at_in_bounds'),
        ),
        migrations.AddConstraint(
            model_name='sessionlog',
            constraint=models.CheckConstraint(condition=models.Q(('ended_at__gte', datetime.datetime(2000, 1, 1, 0, 0, tzinfo=datetime.timezone.utc)), ('ended_at__lt', datetime.datetime(2100, 1, 1, 0, 0, tzinfo=datetime.timezone.utc))), name='session_ended_at_in_bounds'),
        ),
    ]
