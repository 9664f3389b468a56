# Push subscriptions belong to every logged-in person now, not only patients: the model
# moves to the `notifications` app. The table is renamed, never recreated, so every
# browser that had notifications on keeps them.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("clinic", "0004_clinic_phone"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[
                migrations.AlterModelTable(
                    name="pushsubscription", table="notifications_pushsubscription"
                ),
            ],
            state_operations=[
                migrations.DeleteModel(name="PushSubscription"),
            ],
        ),
    ]
