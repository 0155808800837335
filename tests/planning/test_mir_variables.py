"""The variables of a MIR indicator's método de cálculo (its ficha técnica): the service's rules, each tried against
(symbol format, unique within the indicator, present in the formula, only on a draft, only by the commission or the
planners), the submission check, the copy into a new version with its place in the comparison and the fingerprint,
and what the workspace, the public page, its PDF and the open-data files show."""

import csv
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from pypdf import PdfReader

from implan.errors import DomainError
from implan.models import Event, LifecycleState
from planning.diff import instrument_diff
from planning.frozen import instrument_fingerprint
from planning.models.mir import MirIndicator, MirIndicatorVariable, MirLevel, symbol_in
from planning.services import lifecycle
from planning.services import mir as services
from tests.factories import ProgrammeFactory
from tests.planning.mir_builders import complete_mir

pytestmark = pytest.mark.django_db

VALUES = {"description": "Viviendas con agua entubada", "unit": "viviendas", "source": "INEGI, Censo 2020"}


def _fin_link(programme):
    return MirIndicator.objects.select_related("indicator", "row__programme").get(
        row__programme=programme, row__level=MirLevel.FIN
    )


def _bare_link(programme):
    """The Fin's indicator without variables, its formula «VA / VH × 100»."""
    link = _fin_link(programme)
    link.variables.all().delete()
    link.indicator.formula = "VA / VH × 100"
    link.indicator.save()
    return link


def _add(actor, link, symbol, **values):
    return services.mir_variable_create(actor=actor, link=link, values={**VALUES, "symbol": symbol, **values})


def test_a_symbol_is_in_a_formula_as_a_whole_word():
    assert symbol_in("A", "A / B × 100") and symbol_in("B", "A / B × 100") and symbol_in("HC", "(HC/HT)*100")
    assert not symbol_in("A", "Agua / B") and not symbol_in("C", "HC / HT") and not symbol_in("a", "A / B")


def test_a_planner_adds_the_variables_of_the_method_in_order_with_history_and_events(planner):
    programme = ProgrammeFactory()
    complete_mir(programme)
    link = _bare_link(programme)
    first = _add(planner, link, " VA ")
    second = _add(planner, link, "VH", description="Viviendas particulares habitadas")
    assert [(v.symbol, v.order) for v in link.variables.all()] == [("VA", 1), ("VH", 2)]
    assert first.history.first().history_user == planner
    notes = list(Event.objects.filter(action="mir_variable_added").order_by("pk").values_list("note", flat=True))
    assert len(notes) == 2 and "«VH»" in notes[1] and link.indicator.code in notes[1]
    services.mir_variable_delete(actor=planner, variable=second)
    assert [v.symbol for v in link.variables.all()] == ["VA"]
    deleted = Event.objects.get(action="part_deleted")
    assert "la variable «VH»" in deleted.note and deleted.object_id == programme.pk
    assert second.history.model.objects.filter(id=second.pk, history_type="-").get().history_user == planner


@pytest.mark.parametrize(
    ("symbol", "values", "message"),
    [
        ("VX", {}, "«VX» no aparece en el método de cálculo"),
        ("V", {}, "«V» no aparece en el método de cálculo"),  # «V» is in «VA», not as a word
        ("VA", {}, "ya tiene una variable «VA»"),
        ("1A", {}, "debe empezar con una letra"),
        ("", {}, "en blanco"),
        ("VH", {"description": ""}, "en blanco"),
        ("VH", {"unit": ""}, "en blanco"),
        ("VH", {"source": ""}, "en blanco"),
        ("VH", {"source": "x" * 2_001}, "medio de verificación"),
    ],
)
def test_a_variable_the_rules_refuse_saves_nothing(planner, symbol, values, message):
    programme = ProgrammeFactory()
    complete_mir(programme)
    link = _bare_link(programme)
    _add(planner, link, "VA")
    with pytest.raises(DomainError, match=message):
        _add(planner, link, symbol, **values)
    assert [v.symbol for v in link.variables.all()] == ["VA"]


@pytest.mark.parametrize("state", [LifecycleState.IN_REVIEW, LifecycleState.APPROVED, LifecycleState.PUBLISHED])
def test_the_variables_of_a_version_that_is_not_a_draft_are_frozen(planner, state):
    programme = ProgrammeFactory()
    complete_mir(programme)
    link = _fin_link(programme)
    programme.state = state
    programme.save()
    with pytest.raises(DomainError):
        _add(planner, link, "VA")
    with pytest.raises(DomainError):
        services.mir_variable_delete(actor=planner, variable=link.variables.first())
    assert link.variables.count() == 2


def test_only_the_commission_or_the_planners_write_variables(outsider):
    programme = ProgrammeFactory()
    complete_mir(programme)
    link = _bare_link(programme)
    with pytest.raises(PermissionDenied):
        _add(outsider, link, "VA")
    assert not link.variables.exists()


def test_submission_needs_the_variables_of_every_method_and_each_in_its_formula(planner):
    programme = ProgrammeFactory()
    complete_mir(programme)
    link = _fin_link(programme)
    link.variables.all().delete()
    proposito = MirIndicator.objects.get(row__programme=programme, row__level=MirLevel.PROPOSITO)
    proposito.indicator.formula = "A / C × 100"  # the catalogue's formula changed after «B» was declared
    proposito.indicator.save()
    with pytest.raises(DomainError) as refused:
        lifecycle.instrument_submit(instrument=programme, actor=planner)
    message = refused.value.message
    code = link.indicator.code
    assert f"Fin 1: el indicador {code} de la MIR no declara las variables de su fórmula." in message
    assert f"la variable «B» del indicador {proposito.indicator.code} no aparece en su método de cálculo" in message
    assert "la variable «A»" not in message
    programme.refresh_from_db()
    assert programme.state == LifecycleState.DRAFT

    _add(planner, link, "A", description="Hogares con agua")
    _add(planner, link, "B", description="Hogares")
    proposito.indicator.formula = "A / B × 100"
    proposito.indicator.save()
    assert lifecycle.instrument_submit(instrument=programme, actor=planner).state == LifecycleState.IN_REVIEW


def test_a_new_version_copies_the_variables_and_the_comparison_and_fingerprint_see_them(planner):
    old = ProgrammeFactory(state=LifecycleState.PUBLISHED)
    complete_mir(old)
    new = lifecycle.instrument_new_version(instrument=old, actor=planner)
    copied = MirIndicatorVariable.objects.filter(link__row__programme=new)
    assert copied.count() == 12 and MirIndicatorVariable.objects.filter(link__row__programme=old).count() == 12
    link = _fin_link(new)
    assert [(v.symbol, v.description, v.unit, v.source) for v in link.variables.all()] == [
        (v.symbol, v.description, v.unit, v.source) for v in _fin_link(old).variables.all()
    ]
    assert instrument_diff(old=old, new=new).is_empty

    before = instrument_fingerprint(new)
    services.mir_variable_delete(actor=planner, variable=link.variables.get(symbol="B"))
    assert instrument_fingerprint(new) != before
    groups = {g.label: g.parts for g in instrument_diff(old=old, new=new).groups}
    [removed] = groups["Variables de los indicadores de la MIR"]
    assert removed.status == "eliminado" and removed.title.startswith("Fin 1 · ") and removed.title.endswith(" · B")
    assert _fin_link(old).variables.count() == 2  # the frozen version keeps its own


def test_removing_an_indicator_or_a_row_removes_its_variables_with_history(planner):
    programme = ProgrammeFactory()
    rows = complete_mir(programme)
    link = _fin_link(programme)
    ids = list(link.variables.values_list("pk", flat=True))
    services.mir_indicator_delete(actor=planner, link=link)
    services.mir_row_delete(actor=planner, row=rows[-1])
    assert MirIndicatorVariable.objects.filter(link__row__programme=programme).count() == 8
    gone = MirIndicatorVariable.history.filter(id__in=ids, history_type="-")
    assert gone.count() == 2 and {h.history_user for h in gone} == {planner}


def _published(code):
    programme = ProgrammeFactory(state=LifecycleState.PUBLISHED, code=code)
    complete_mir(programme)
    link = _fin_link(programme)
    link.variables.filter(symbol="A").update(description="Viviendas con agua entubada", unit="viviendas")
    return programme


def test_the_public_mir_and_its_pdf_show_the_variables_under_the_method(client):
    _published("P05")
    page = client.get(reverse("planning:mir_public", args=["P05"])).content.decode()
    method = page.index("A / B × 100")
    variable = page.index("<strong>A</strong>: Viviendas con agua entubada (viviendas; fuente: Padrón de SAPAL)")
    assert method < variable < page.index("Dimensión", method)
    assert "mir_variable" not in page and "Agregar variable" not in page  # no workspace links in public
    pdf = client.get(reverse("planning:mir_public_pdf", args=["P05"])).content
    text = " ".join(" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "Viviendas con agua entubada" in text and "Padrón de SAPAL" in text


def test_the_open_data_files_carry_each_indicators_variables(client):
    _published("P01")
    text = client.get(reverse("planning:mir_csv")).content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows[0]["variables"] == (
        "A: Viviendas con agua entubada (viviendas; Padrón de SAPAL) | B: Hogares (hogares; Padrón de SAPAL)"
    )
    data = client.get(reverse("planning:mir_json")).json()
    assert "variables" in data["columnas"]
    assert data["mir"][0]["variables"] == [
        {
            "simbolo": "A",
            "descripcion": "Viviendas con agua entubada",
            "unidad": "viviendas",
            "medio_de_verificacion": "Padrón de SAPAL",
        },
        {"simbolo": "B", "descripcion": "Hogares", "unidad": "hogares", "medio_de_verificacion": "Padrón de SAPAL"},
    ]


def test_a_planner_adds_and_removes_a_variable_from_the_workspace(client, planner):
    programme = ProgrammeFactory()
    complete_mir(programme)
    link = _bare_link(programme)
    client.force_login(planner)
    workspace = reverse("planning:mir_workspace", args=[programme.pk])
    page = client.get(workspace).content.decode()
    add = reverse("planning:mir_variable_create", args=[link.pk])
    assert add in page and "no declara las variables de su fórmula" in page
    form = client.get(add).content.decode()
    assert "VA / VH × 100" in form  # the formula is shown where the symbol is typed
    refused = client.post(add, {**VALUES, "symbol": "X"})
    assert refused.status_code == 200 and "«X» no aparece en el método de cálculo" in refused.content.decode()
    response = client.post(add, {**VALUES, "symbol": "VA"})
    assert response.status_code == 302 and response["Location"] == workspace
    variable = link.variables.get()
    page = client.get(workspace).content.decode()
    remove = reverse("planning:mir_variable_delete", args=[variable.pk])
    assert "<strong>VA</strong>: Viviendas con agua entubada" in page and remove in page
    assert client.post(remove).status_code == 302
    assert not link.variables.exists()
