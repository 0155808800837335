"""Load CONAC's catalogues (planning/data/conac/) and classify the lines recorded before them by what they already
said: their funding source maps to CONAC's (planning.conac.LEGACY_SOURCES). Their partida, subfunción and modalidad stay empty ("sin clasificar"):
the old chapter names a capítulo, not a partida, and inventing one would put a false detail in the public record."""

from django.db import migrations

from planning.conac import LEGACY_SOURCES, load_catalogues

def load(apps, schema_editor):
    entry = apps.get_model("planning", "ConacEntry")
    load_catalogues(entry)
    sources = {e.code: e for e in entry.objects.filter(catalogue="fuentes")}
    line = apps.get_model("planning", "BudgetLine")
    for old, code in LEGACY_SOURCES.items():
        line.objects.filter(funding_source=old, source__isnull=True).update(source=sources[code])


class Migration(migrations.Migration):
    dependencies = [("planning", "0005_conac_classifications")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
