"""Create the page cache's table (``CACHES["pages"]``) in databases migrated before it existed."""

from django.core.management import call_command
from django.db import migrations


def create_cache_tables(apps, schema_editor):
    call_command("createcachetable", database=schema_editor.connection.alias, verbosity=0)


class Migration(migrations.Migration):
    dependencies = [("core", "0001_cache_table")]
    operations = [migrations.RunPython(create_cache_tables, migrations.RunPython.noop)]
