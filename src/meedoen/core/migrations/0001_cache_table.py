"""The table of the database cache (MEEDOEN_CACHE_URL=db://, the production default).

Created by every `migrate`, whichever cache is configured, so that switching to db:// needs no
extra step (Django would otherwise want `createcachetable`). The name is fixed here, as a
migration must not change when code changes: meedoen.config.caches.DATABASE_CACHE_TABLE.
"""

from django.core.management.commands.createcachetable import Command as CreateCacheTable
from django.db import migrations

TABLE = "meedoen_cache"


def create_table(apps, schema_editor):
    # Django's own `createcachetable`, quietly; it skips a table that exists already.
    command = CreateCacheTable()
    command.verbosity = 0
    command.create_table(schema_editor.connection.alias, TABLE, dry_run=False)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(TABLE)}")


class Migration(migrations.Migration):
    dependencies: list[tuple[str, str]] = []

    operations = [migrations.RunPython(create_table, drop_table, elidable=False)]
