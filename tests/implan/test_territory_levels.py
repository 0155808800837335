"""The levels of territory: each with the parents it may have, INEGI's keys stored with their leading zeros."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from implan.models import PARENT_KINDS, Territory, TerritoryKind, inegi_key, parent_kind_error
from tests.factories import MunicipalityFactory, TerritoryFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("kind", "parent", "allowed"),
    [
        (TerritoryKind.LOCALIDAD, TerritoryKind.MUNICIPIO, True),
        (TerritoryKind.LOCALIDAD, TerritoryKind.ENTIDAD, False),
        (TerritoryKind.MUNICIPIO, TerritoryKind.ENTIDAD, True),
        (TerritoryKind.MUNICIPIO, TerritoryKind.MUNICIPIO, False),
        (TerritoryKind.ENTIDAD, TerritoryKind.PAIS, True),
        (TerritoryKind.COLONIA, TerritoryKind.DELEGACION, True),
        (TerritoryKind.COLONIA, TerritoryKind.MUNICIPIO, True),
        (TerritoryKind.DELEGACION, TerritoryKind.MUNICIPIO, True),
        (TerritoryKind.PAIS, TerritoryKind.ENTIDAD, False),
    ],
)
def test_each_level_hangs_only_from_its_parent_levels(kind, parent, allowed):
    assert (parent_kind_error(kind, parent) == "") is allowed
    assert (parent in PARENT_KINDS[kind]) is allowed


def test_a_locality_under_a_state_is_refused_with_the_levels_it_may_belong_to():
    guanajuato = TerritoryFactory(name="Guanajuato", code="11", kind=TerritoryKind.ENTIDAD)
    locality = Territory(name="Duarte", code="110200240", kind=TerritoryKind.LOCALIDAD, parent=guanajuato)
    with pytest.raises(ValidationError) as refused:
        locality.full_clean()
    assert refused.value.message_dict["parent"] == [
        "Un territorio de tipo «Localidad» pertenece a: «Municipio»; no a uno de tipo «Entidad federativa»."
    ]
    locality.parent = MunicipalityFactory()
    locality.full_clean()  # under its municipality, it is fine


@pytest.mark.parametrize(
    ("raw", "field", "stored"),
    [
        ("1", "cve_ent", "01"),
        ("11", "cve_ent", "11"),
        ("20", "cve_mun", "020"),
        ("20.0", "cve_mun", "020"),
        ("1", "cve_loc", "0001"),
    ],
)
def test_inegi_keys_get_back_the_zeros_a_spreadsheet_dropped(raw, field, stored):
    assert inegi_key(raw, field) == stored


@pytest.mark.parametrize(("raw", "field"), [("123", "cve_ent"), ("0", "cve_mun"), ("1A", "cve_loc"), ("", "cve_ent")])
def test_a_key_that_is_not_one_is_refused_in_spanish(raw, field):
    with pytest.raises(ValueError, match="no es una clave válida"):
        inegi_key(raw, field)


def test_the_database_holds_keys_only_with_their_zeros():
    with pytest.raises(IntegrityError):
        TerritoryFactory(code="x", cve_mun="20")
