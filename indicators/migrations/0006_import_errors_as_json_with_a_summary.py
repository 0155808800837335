"""Staged rows keep their errors as JSON (column, kind, key, message) so the database can summarise them by kind.

The old «column|message» lines of files still awaiting a decision are converted first (kind and key unknown: they
are listed, not summarised); a valid row's empty text becomes NULL.
"""

import json

from django.db import migrations, models


def errors_to_json(apps, schema_editor):
    ImportRow = apps.get_model("indicators", "ImportRow")
    ImportRow.objects.filter(errors="").update(errors=None)
    for row in ImportRow.objects.exclude(errors=None).only("pk", "errors").iterator():
        problems = [{"column": column, "kind": "", "key": "", "message": message}
                    for column, message in (line.split("|", 1) for line in row.errors.splitlines() if "|" in line)]
        ImportRow.objects.filter(pk=row.pk).update(errors=json.dumps(problems, ensure_ascii=False))


def errors_to_text(apps, schema_editor):
    ImportRow = apps.get_model("indicators", "ImportRow")
    for row in ImportRow.objects.exclude(errors=None).only("pk", "errors").iterator():
        lines = [f"{problem['column']}|{problem['message']}" for problem in json.loads(row.errors)]
        ImportRow.objects.filter(pk=row.pk).update(errors="\n".join(lines))
    ImportRow.objects.filter(errors=None).update(errors="")


class Migration(migrations.Migration):
    # Each step commits on its own: PostgreSQL refuses to alter a table with row updates (and their deferred
    # foreign-key checks) still pending in the same transaction.
    atomic = False

    dependencies = [
        ("indicators", "0005_import_number_convention"),
    ]

    operations = [
        migrations.AddField(
            model_name="importjob",
            name="error_summary",
            field=models.JSONField(blank=True, default=list, help_text="Por tipo de error: columna, filas, claves distintas y las primeras claves.", verbose_name="resumen de errores"),
        ),
        # Text that may be NULL while it is converted, then JSON.
        migrations.AlterField(
            model_name="importrow",
            name="errors",
            field=models.TextField(blank=True, null=True, verbose_name="errores"),
        ),
        migrations.RunPython(errors_to_json, errors_to_text),
        migrations.AlterField(
            model_name="importrow",
            name="errors",
            field=models.JSONField(blank=True, help_text="Lista de errores: columna, tipo, texto de la celda y mensaje.", null=True, verbose_name="errores"),
        ),
    ]
