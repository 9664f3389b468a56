"""Failed log-ins are counted by django-axes now (accounts/throttle.py): the old table goes
(its rows lasted 15 minutes anyway), and the database cache the rate limits count in is
made here, so `migrate` alone prepares a new server (createcachetable is idempotent)."""

from django.core.management import call_command
from django.db import migrations


def create_cache_table(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0001_initial'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='loginfailure',
            name='accounts_lo_kind_2bfe64_idx',
        ),
        migrations.DeleteModel(
            name='LoginFailure',
        ),
        migrations.RunPython(create_cache_table, migrations.RunPython.noop),
    ]
