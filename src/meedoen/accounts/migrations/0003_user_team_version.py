from django.db import migrations, models


class Migration(migrations.Migration):
    """A version on users and teams: the functional admin's edits are guarded against a lost update
    (core/concurrency.py). Existing rows start at 1 (db_default)."""

    dependencies = [
        ("accounts", "0002_identityproviderdevice"),
    ]

    operations = [
        migrations.AddField(
            model_name="team",
            name="version",
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False),
        ),
        migrations.AddField(
            model_name="user",
            name="version",
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False),
        ),
    ]
