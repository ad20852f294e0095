from django.db import migrations, models
from django.db.models import F


def delivered_is_current(apps, schema_editor):
    # Until now only deliveries wrote contact details: what is stored is what was delivered.
    Client = apps.get_model("clients", "Client")
    Client.objects.update(
        delivered_email=F("email"),
        delivered_phone=F("phone"),
        delivered_languages=F("languages"),
    )


class Migration(migrations.Migration):
    dependencies = [
        ("clients", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="client",
            name="version",
            field=models.PositiveIntegerField(db_default=1, default=1, editable=False),
        ),
        migrations.AddField(
            model_name="client",
            name="delivered_email",
            field=models.EmailField(blank=True, editable=False, max_length=254),
        ),
        migrations.AddField(
            model_name="client",
            name="delivered_phone",
            field=models.CharField(blank=True, editable=False, max_length=20),
        ),
        migrations.AddField(
            model_name="client",
            name="delivered_languages",
            field=models.JSONField(blank=True, default=list, editable=False),
        ),
        migrations.RunPython(delivered_is_current, migrations.RunPython.noop, elidable=True),
    ]
