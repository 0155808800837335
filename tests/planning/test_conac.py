"""CONAC's classifications on budget lines: the catalogues are loaded from their data files, the codes of a line are
checked against them (an unknown or wrong-level code is refused in Spanish and nothing is saved), the capítulo
follows the partida, and the lines recorded before the catalogues keep working."""

import csv
import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from implan.errors import DomainError
from planning.conac import DATA_DIR, load_catalogues
from planning.models import BudgetLine, ConacCatalogue, ConacEntry, ConacLevel, SpendingChapter
from planning.services import budget as services
from tests.factories import AgencyFactory, BudgetFactory, ProgrammeFactory

pytestmark = pytest.mark.django_db


def _data(programme, agency, **codes):
    values = {"partida": "6140", "subfunction": "2.2.1", "modality": "K", "source": "11", **codes}
    return services.LineData(
        programme=programme,
        agency=agency,
        chapter=values.pop("chapter", ""),
        funding_source="recursos_propios",
        approved_amount=Decimal("1000"),
        **values,
    )


@pytest.fixture
def world():
    return BudgetFactory(ceiling=Decimal("1000000.00")), ProgrammeFactory(), AgencyFactory()


def test_every_catalogue_file_is_loaded_with_its_levels():
    rows = sum(1 for name in ("cog", "funcional", "programatica", "fuentes") for _ in _rows(name))
    assert ConacEntry.objects.count() == rows
    assert ConacEntry.objects.filter(catalogue=ConacCatalogue.OBJECT, level=ConacLevel.CHAPTER).count() == 9
    assert set(ConacEntry.objects.filter(catalogue=ConacCatalogue.PROGRAMMATIC).values_list("code", flat=True)) == set(
        "SUEBPFGARKMOWLNJTYZICDH"
    )
    partida = ConacEntry.objects.get(catalogue=ConacCatalogue.OBJECT, code="2110")
    assert (partida.parent.code, partida.parent.parent.code) == ("2100", "2000")
    subfunction = ConacEntry.objects.get(catalogue=ConacCatalogue.FUNCTIONAL, code="2.2.4")
    assert (subfunction.name, subfunction.parent.code, subfunction.parent.parent.name) == (
        "Alumbrado público",
        "2.2",
        "Desarrollo social",
    )
    assert ConacEntry.objects.get(catalogue=ConacCatalogue.FUNDING, code="25").parent.name == "Etiquetado"


def _rows(name):
    with (DATA_DIR / f"{name}.csv").open(encoding="utf-8") as handle:
        yield from csv.DictReader(handle)


def test_loading_the_catalogues_again_creates_nothing():
    assert load_catalogues(ConacEntry) == 0


def test_a_line_with_its_classifications_derives_its_chapter(world, planner):
    budget, programme, agency = world
    line = services.budget_line_save(
        actor=planner, budget=budget, data=_data(programme, agency, specific_partida="61401")
    )
    line.refresh_from_db()
    assert (line.partida.code, line.chapter, line.specific_partida) == ("6140", SpendingChapter.PUBLIC_WORKS, "61401")
    assert (line.subfunction.code, line.modality.code, line.source.code) == ("2.2.1", "K", "11")


@pytest.mark.parametrize(
    ("codes", "message"),
    [
        ({"partida": "2115"}, "La partida 2115 no existe en el Clasificador por Objeto del Gasto."),
        ({"partida": "2100"}, "es un nivel «Concepto»"),
        ({"subfunction": "2.2.9"}, "La subfunción 2.2.9 no existe en la Clasificación Funcional del Gasto."),
        ({"modality": "X"}, "La modalidad X no existe en la Clasificación Programática."),
        ({"source": "18"}, "La fuente 18 no existe en el Clasificador por Fuentes de Financiamiento."),
        ({"source": "2"}, "indique el nivel «Subfuente»"),
        ({"specific_partida": "21101"}, "no corresponde a la partida genérica 6140"),
        ({"chapter": SpendingChapter.SERVICES}, "La partida 6140 pertenece al capítulo 6000, no al 3000."),
        ({"partida": ""}, "Indique la partida genérica"),
    ],
)
def test_a_code_outside_its_catalogue_is_refused_and_nothing_is_saved(world, planner, codes, message):
    budget, programme, agency = world
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency, **codes))
    assert not BudgetLine.objects.exists()


def test_a_bad_code_on_an_existing_line_leaves_it_as_it_was(world, planner):
    budget, programme, agency = world
    line = services.budget_line_save(actor=planner, budget=budget, data=_data(programme, agency))
    with pytest.raises(DomainError):
        services.budget_line_save(
            actor=planner, budget=budget, data=_data(programme, agency, partida="6145"), line=line
        )
    line.refresh_from_db()
    assert line.partida.code == "6140"


def test_a_line_without_classifications_still_saves_with_its_chapter_and_a_mapped_source(world, planner):
    """Imports written before the catalogues name a chapter and the portal's funding source only."""
    budget, programme, agency = world
    data = services.LineData(
        programme=programme,
        agency=agency,
        chapter=SpendingChapter.SERVICES,
        funding_source="faism",
        approved_amount=Decimal("1"),
    )
    line = services.budget_line_save(actor=planner, budget=budget, data=data)
    assert (line.chapter, line.partida, line.source.code) == (SpendingChapter.SERVICES, None, "25")


def test_the_loader_command_restores_a_lost_entry_and_says_so():
    ConacEntry.objects.filter(catalogue=ConacCatalogue.PROGRAMMATIC, code="K").delete()
    out = io.StringIO()
    call_command("load_conac_catalogues", stdout=out)
    assert ConacEntry.objects.filter(catalogue=ConacCatalogue.PROGRAMMATIC, code="K").exists()
    assert "1 claves nuevas" in out.getvalue()
