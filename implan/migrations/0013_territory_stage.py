"""The staging table of territory catalogue loads (indicators.territories.jobs), on PostgreSQL only.

UNLOGGED and without a model: rows written with COPY by the check and read by the save with set-based SQL, like a
temporary table that outlives the task that wrote it. Other databases (a newcomer's SQLite) re-read the file.
"""

from django.db import migrations

CREATE = """
CREATE UNLOGGED TABLE IF NOT EXISTS implan_territory_stage (
    job_id integer NOT NULL,
    kind varchar(20) NOT NULL,
    key varchar(20) NOT NULL,
    name varchar(200) NOT NULL,
    parent_key varchar(20),
    cve_ent varchar(2) NOT NULL,
    cve_mun varchar(3) NOT NULL,
    cve_loc varchar(4) NOT NULL,
    area_type varchar(10) NOT NULL,
    latitude numeric(9, 6),
    longitude numeric(9, 6),
    population bigint,
    is_parent boolean NOT NULL
);
CREATE INDEX IF NOT EXISTS implan_territory_stage_job ON implan_territory_stage (job_id, kind);
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CREATE)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE IF EXISTS implan_territory_stage")


class Migration(migrations.Migration):
    dependencies = [("implan", "0012_territory_levels")]

    operations = [migrations.RunPython(create, drop)]
