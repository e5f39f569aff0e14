"""The database cache's table (settings.CACHE_TABLE), used when REDIS_URL is not set.

Created whatever the cache setting is today, so switching from Redis to the database
later needs no extra step.
"""

from django.conf import settings
from django.core.management import call_command
from django.db import migrations


def create_table(apps, schema_editor):
    call_command("createcachetable", settings.CACHE_TABLE, database=schema_editor.connection.alias, verbosity=0)


def drop_table(apps, schema_editor):
    schema_editor.execute(f"DROP TABLE IF EXISTS {schema_editor.quote_name(settings.CACHE_TABLE)}")


class Migration(migrations.Migration):
    dependencies = [("core", "0001_name_the_site")]

    operations = [migrations.RunPython(create_table, drop_table)]
