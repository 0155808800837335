"""Loads the UN's SDG list and makes the import staging table UNLOGGED on PostgreSQL.

UNLOGGED: staging rows are rebuilt from the stored file if lost in a crash, so they need no write-ahead log,
which makes checking a 100,000-row file noticeably faster.
"""

from django.db import migrations


def load_sdg(apps, schema_editor):
    from indicators.sdg import load_catalogue

    load_catalogue(apps.get_model("indicators", "SdgCode"))


def unlogged(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("ALTER TABLE indicators_importrow SET UNLOGGED")


class Migration(migrations.Migration):
    dependencies = [("indicators", "0002_import_jobs_and_lean_indexes")]
    operations = [
        migrations.RunPython(load_sdg, migrations.RunPython.noop),
        migrations.RunPython(unlogged, migrations.RunPython.noop),
    ]
