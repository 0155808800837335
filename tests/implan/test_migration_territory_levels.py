"""The migration to territory levels keeps the existing territories: old kinds become their level, INEGI's keys are
split from the geostatistical key already stored, and an indicator broken down by an old kind follows it.

The migrations' data steps run on rows shaped as they found them (old kinds, keys not split yet) rather than by
migrating the schema back and forth: unapplying every later migration of every app cost half a minute of the suite.
"""

import importlib

import pytest
from django.apps import apps

from implan.models import Territory
from tests.factories import IndicatorFactory

territories = importlib.import_module("implan.migrations.0012_territory_levels")
indicators = importlib.import_module("indicators.migrations.0011_territory_levels")


@pytest.mark.django_db
def test_old_kinds_map_onto_levels_and_keys_are_split():
    leon = Territory.objects.create(name="León", kind="municipio", code="11020", inegi_code="11020")
    Territory.objects.create(name="Polígono Las Joyas", kind="poligono", code="pol-joyas", parent=leon)
    Territory.objects.create(
        name="Duarte", kind="comunidad_rural", code="110200240", inegi_code="110200240", parent=leon
    )
    Territory.objects.create(name="Centro", kind="colonia", code="col-centro", inegi_code="abc")
    indicator = IndicatorFactory(code="X-1")
    type(indicator).objects.filter(pk=indicator.pk).update(territorial_level="poligono")

    territories.to_levels(apps, None)
    indicators.to_levels(apps, None)

    found = {t.code: (t.kind, t.cve_ent, t.cve_mun, t.cve_loc) for t in Territory.objects.order_by("code")}
    assert found == {
        "11020": ("municipio", "11", "020", ""),
        "110200240": ("localidad", "11", "020", "0240"),
        "col-centro": ("colonia", "", "", ""),  # a key that is not INEGI's is left alone
        "pol-joyas": ("delegacion", "", "", ""),
    }
    indicator.refresh_from_db()
    assert indicator.territorial_level == "delegacion"
