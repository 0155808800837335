"""The migration to territory levels keeps the existing territories: old kinds become their level, INEGI's keys are
split from the geostatistical key already stored, and an indicator broken down by an old kind follows it."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("implan", "0011_outgoingemail_headers"), ("indicators", "0009_text_limits")]


@pytest.mark.django_db(transaction=True)
def test_old_kinds_map_onto_levels_and_keys_are_split():
    executor = MigrationExecutor(connection)
    after = [*executor.loader.graph.leaf_nodes("implan"), *executor.loader.graph.leaf_nodes("indicators")]
    executor.migrate(BEFORE)
    old = executor.loader.project_state(BEFORE).apps
    Territory = old.get_model("implan", "Territory")
    leon = Territory.objects.create(name="León", kind="municipio", code="11020", inegi_code="11020")
    Territory.objects.create(name="Polígono Las Joyas", kind="poligono", code="pol-joyas", parent=leon)
    Territory.objects.create(
        name="Duarte", kind="comunidad_rural", code="110200240", inegi_code="110200240", parent=leon
    )
    Territory.objects.create(name="Centro", kind="colonia", code="col-centro", inegi_code="abc")
    Indicator = old.get_model("indicators", "Indicator")
    Indicator.objects.create(
        code="X-1", name="X", slug="x-1", definition="x", unit="%", source="x", territorial_level="poligono"
    )

    executor = MigrationExecutor(connection)
    executor.migrate(after)
    new = executor.loader.project_state(after).apps
    rows = new.get_model("implan", "Territory").objects.order_by("code")
    found = {t.code: (t.kind, t.cve_ent, t.cve_mun, t.cve_loc) for t in rows}
    assert found == {
        "11020": ("municipio", "11", "020", ""),
        "110200240": ("localidad", "11", "020", "0240"),
        "col-centro": ("colonia", "", "", ""),  # a key that is not INEGI's is left alone
        "pol-joyas": ("delegacion", "", "", ""),
    }
    assert new.get_model("indicators", "Indicator").objects.get().territorial_level == "delegacion"
