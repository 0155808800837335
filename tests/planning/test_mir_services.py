"""The MIR of a programme: its levels and their order, who writes it and when, its copy into a new version, its
place in the comparison of versions and in the frozen fingerprint, and the submission it holds back."""

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from councils.models import BodyKind
from implan.errors import DomainError
from implan.models import Event, LifecycleState
from planning.diff import instrument_diff
from planning.frozen import instrument_fingerprint
from planning.models.mir import MirDimension, MirIndicator, MirLevel, MirRow
from planning.services import lifecycle
from planning.services import mir as services
from tests.factories import BodyFactory, IndicatorFactory, ProgrammeFactory
from tests.planning.mir_builders import complete_mir
from tests.planning.plan_builders import commission_member

pytestmark = pytest.mark.django_db

TEXTS = {"summary": "Resumen", "verification": "Registro administrativo", "assumptions": "Hay presupuesto"}


def _row(actor, programme, level, parent=None):
    return services.mir_row_create(actor=actor, programme=programme, values={"level": level, "parent": parent, **TEXTS})


def test_a_planner_builds_a_mir_level_by_level(planner):
    programme = ProgrammeFactory()
    fin = _row(planner, programme, MirLevel.FIN)
    componente = _row(planner, programme, MirLevel.COMPONENTE)
    second = _row(planner, programme, MirLevel.COMPONENTE)
    actividad = _row(planner, programme, MirLevel.ACTIVIDAD, parent=componente)
    assert (fin.order, componente.order, second.order, actividad.order) == (1, 1, 2, 1)
    assert actividad.parent == componente
    assert fin.history.first().history_user == planner


def test_a_mir_has_one_fin_and_one_proposito(planner):
    programme = ProgrammeFactory()
    _row(planner, programme, MirLevel.FIN)
    with pytest.raises(DomainError, match="ya tiene un renglón de Fin"):
        _row(planner, programme, MirLevel.FIN)
    assert programme.mir_rows.count() == 1


def test_an_actividad_belongs_to_a_componente_of_the_same_mir(planner):
    programme, other = ProgrammeFactory(), ProgrammeFactory()
    fin = _row(planner, programme, MirLevel.FIN)
    foreign = _row(planner, other, MirLevel.COMPONENTE)
    with pytest.raises(DomainError, match="debe pertenecer a un componente"):
        _row(planner, programme, MirLevel.ACTIVIDAD)
    with pytest.raises(DomainError, match="componente de la misma MIR"):
        _row(planner, programme, MirLevel.ACTIVIDAD, parent=fin)
    with pytest.raises(DomainError, match="componente de la misma MIR"):
        _row(planner, programme, MirLevel.ACTIVIDAD, parent=foreign)
    with pytest.raises(DomainError, match="Solo una actividad"):
        _row(planner, programme, MirLevel.PROPOSITO, parent=foreign)
    assert programme.mir_rows.count() == 1


def test_a_componente_with_actividades_is_not_deleted_nor_turned_into_another_level(planner):
    programme = ProgrammeFactory()
    componente = _row(planner, programme, MirLevel.COMPONENTE)
    _row(planner, programme, MirLevel.ACTIVIDAD, parent=componente)
    with pytest.raises(DomainError, match="tiene actividades"):
        services.mir_row_delete(actor=planner, row=componente)
    with pytest.raises(DomainError, match="tiene actividades"):
        services.mir_row_update(actor=planner, row=componente, values={"level": MirLevel.PROPOSITO}, seen=None)
    assert programme.mir_rows.count() == 2


def test_deleting_a_row_records_an_event_on_the_programme(planner):
    programme = ProgrammeFactory()
    row = _row(planner, programme, MirLevel.FIN)
    services.mir_indicator_create(
        actor=planner, row=row, values={"indicator": IndicatorFactory(), "dimension": MirDimension.QUALITY}
    )
    services.mir_row_delete(actor=planner, row=row)
    assert not MirRow.objects.exists() and not MirIndicator.objects.exists()
    assert Event.objects.filter(action="part_deleted", object_id=programme.pk).exists()


def test_targets_are_years_with_numbers_not_before_the_baseline(planner):
    row = _row(planner, ProgrammeFactory(), MirLevel.FIN)
    values = {"indicator": IndicatorFactory(), "dimension": MirDimension.EFFICACY}
    for targets, message in [
        ({"dos mil": "1"}, "no es un año válido"),
        ({"2025": "mucho"}, "no es un número"),
        ({"2020": "1"}, "anterior a la línea base"),
    ]:
        with pytest.raises(DomainError, match=message):
            services.mir_indicator_create(
                actor=planner,
                row=row,
                values={**values, "baseline_value": Decimal("1"), "baseline_year": 2023, "targets": targets},
            )
    with pytest.raises(DomainError, match="valor y año"):
        services.mir_indicator_create(actor=planner, row=row, values={**values, "baseline_value": Decimal("1")})
    assert not MirIndicator.objects.exists()
    link = services.mir_indicator_create(actor=planner, row=row, values={**values, "targets": {"2026": "7.50"}})
    assert link.targets == {"2026": "7.50"}


def test_the_same_indicator_is_not_linked_twice_to_a_row(planner):
    row = _row(planner, ProgrammeFactory(), MirLevel.FIN)
    values = {"indicator": IndicatorFactory(), "dimension": MirDimension.EFFICACY}
    services.mir_indicator_create(actor=planner, row=row, values=values)
    with pytest.raises(DomainError, match="ya usa el indicador"):
        services.mir_indicator_create(actor=planner, row=row, values=values)


def test_the_strategy_commission_edits_its_programmes_mir_and_nobody_else(outsider):
    programme = ProgrammeFactory(strategy__commission=BodyFactory(kind=BodyKind.STRATEGY_COMMISSION))
    member = commission_member(programme.strategy, username="comisionada")
    _row(member, programme, MirLevel.FIN)
    with pytest.raises(PermissionDenied):
        _row(outsider, programme, MirLevel.PROPOSITO)
    elsewhere = ProgrammeFactory(strategy__commission=BodyFactory(kind=BodyKind.STRATEGY_COMMISSION))
    other = commission_member(elsewhere.strategy, username="de-otra-comision")
    with pytest.raises(PermissionDenied):
        _row(other, programme, MirLevel.PROPOSITO)
    assert programme.mir_rows.count() == 1


@pytest.mark.parametrize("state", [LifecycleState.IN_REVIEW, LifecycleState.APPROVED, LifecycleState.PUBLISHED])
def test_the_mir_of_a_version_that_is_not_a_draft_is_frozen(planner, state):
    programme = ProgrammeFactory()
    rows = complete_mir(programme)
    programme.state = state
    programme.save()
    link = rows[0].indicators.get()
    attempts = [
        lambda: _row(planner, programme, MirLevel.COMPONENTE),
        lambda: services.mir_row_update(actor=planner, row=rows[0], values={"summary": "Otro"}, seen=None),
        lambda: services.mir_row_delete(actor=planner, row=rows[-1]),
        lambda: services.mir_indicator_update(actor=planner, link=link, values={"targets": {}}, seen=None),
        lambda: services.mir_indicator_delete(actor=planner, link=link),
    ]
    for attempt in attempts:
        with pytest.raises(DomainError):
            attempt()
    assert programme.mir_rows.count() == 6 and MirIndicator.objects.count() == 6
    rows[0].refresh_from_db()
    assert rows[0].summary != "Otro"


def test_a_new_version_copies_the_mir_and_the_diff_shows_what_changed(planner):
    old = ProgrammeFactory(state=LifecycleState.PUBLISHED)
    complete_mir(old)
    new = lifecycle.instrument_new_version(instrument=old, actor=planner)
    assert new.mir_rows.count() == 6 and MirIndicator.objects.filter(row__programme=new).count() == 6
    for actividad in new.mir_rows.filter(level=MirLevel.ACTIVIDAD):
        assert actividad.parent.programme_id == new.pk and actividad.parent.level == MirLevel.COMPONENTE
    assert instrument_diff(old=old, new=new).is_empty

    proposito = new.mir_rows.get(level=MirLevel.PROPOSITO)
    services.mir_row_update(actor=planner, row=proposito, values={"summary": "Otro propósito"}, seen=None)
    link = proposito.indicators.get()
    services.mir_indicator_update(actor=planner, link=link, values={"targets": {"2025": "55"}}, seen=None)
    _row(planner, new, MirLevel.COMPONENTE)
    groups = {g.label: g.parts for g in instrument_diff(old=old, new=new).groups}
    rows = groups["Renglones de la MIR"]
    assert [(p.title, p.status) for p in rows] == [("Propósito 1", "modificado"), ("Componente 3", "agregado")]
    assert rows[0].fields[0].new == "Otro propósito"
    [indicator] = groups["Indicadores de la MIR"]
    assert indicator.fields[0].old == "2025: 50, 2027: 60" and indicator.fields[0].new == "2025: 55"
    assert old.mir_rows.get(level=MirLevel.PROPOSITO).summary != "Otro propósito"  # the frozen version stays


def test_the_fingerprint_of_a_programme_covers_its_mir(planner):
    programme = ProgrammeFactory()
    rows = complete_mir(programme)
    before = instrument_fingerprint(programme)
    MirIndicator.objects.filter(row=rows[-1]).update(baseline_value=Decimal("41"))
    assert instrument_fingerprint(programme) != before


def test_submission_is_refused_until_the_mir_is_complete(planner):
    programme = ProgrammeFactory()
    with pytest.raises(DomainError) as refused:
        lifecycle.instrument_submit(instrument=programme, actor=planner)
    for missing in ("no tiene Fin", "no tiene Propósito", "ningún Componente"):
        assert missing in refused.value.message

    rows = complete_mir(programme)
    rows[-1].delete()  # the second componente's only actividad
    link = MirIndicator.objects.filter(row__level=MirLevel.FIN).get()
    link.indicator.formula = ""
    link.indicator.is_published = False
    link.indicator.save()
    MirIndicator.objects.filter(row__level=MirLevel.PROPOSITO).update(baseline_value=None, baseline_year=None)
    MirIndicator.objects.filter(row__level=MirLevel.COMPONENTE, row__order=1).update(targets={})
    with pytest.raises(DomainError) as refused:
        lifecycle.instrument_submit(instrument=programme, actor=planner)
    message = refused.value.message
    assert "El Componente 2 no tiene ninguna Actividad." in message
    assert f"Fin 1: el indicador {link.indicator.code} no tiene método de cálculo." in message
    assert f"Fin 1: el indicador {link.indicator.code} no está publicado en el catálogo." in message
    assert "Propósito 1: el indicador" in message and "no tiene línea base" in message
    assert "Componente 1: el indicador" in message and "no tiene meta" in message
    programme.refresh_from_db()
    assert programme.state == LifecycleState.DRAFT


def test_a_programme_with_a_complete_mir_goes_to_approval(planner):
    programme = ProgrammeFactory()
    complete_mir(programme)
    assert lifecycle.instrument_submit(instrument=programme, actor=planner).state == LifecycleState.IN_REVIEW
