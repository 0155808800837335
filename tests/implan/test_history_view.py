"""History people can read: readable labels, old → new, who and why; the audit log; reverting is for administrators."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implan import services
from implan.errors import DomainError
from implan.history import AuditFilter, audit_entries, audit_rows, history_entries
from implan.models import Event, LifecycleState
from tests.factories import AgencyFactory, IndicatorFactory, ProgrammeFactory, StrategicPlanFactory, StrategyFactory

pytestmark = pytest.mark.django_db


def _rename(obj, *, user, reason: str, **fields) -> None:
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


def test_an_entry_names_the_field_by_its_label_and_shows_old_and_new_values(planner):
    programme = ProgrammeFactory(name="Agua para todos", code="P02")
    agency = AgencyFactory(name="SAPAL", slug="sapal")
    _rename(programme, user=planner, reason="Corrección del nombre", name="Agua para Todos", agency=agency)

    latest = history_entries(programme)[0]

    assert latest.user == planner and latest.reason == "Corrección del nombre" and latest.action == "Modificó"
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes == {"nombre": ("Agua para todos", "Agua para Todos"),
                       "dependencia responsable": ("—", "SAPAL")}


def test_choices_booleans_and_decimals_read_as_people_write_them(planner):
    indicator = IndicatorFactory(polarity="ascendente", is_published=True)
    _rename(indicator, user=planner, reason="Revisión", polarity="descendente", is_published=False)
    changes = {c.label: (c.old, c.new) for c in history_entries(indicator)[0].changes}
    assert changes["sentido"] == ("Ascendente (más es mejor)", "Descendente (menos es mejor)")
    assert changes["publicado"] == ("Sí", "No")


def test_history_of_several_objects_is_merged_newest_first(planner):
    plan = StrategicPlanFactory()
    strategy = StrategyFactory(plan=plan)
    _rename(plan, user=planner, reason="primero", summary="Resumen 1")
    _rename(strategy, user=planner, reason="después", name="Hábitat")
    reasons = [e.reason for e in history_entries(plan, plan.strategies.all())]
    assert reasons.index("después") < reasons.index("primero")


def test_reading_history_takes_the_same_queries_for_few_or_many_changes(planner):
    def queries_for(changes: int) -> int:
        agency = AgencyFactory()
        for n in range(changes):
            _rename(agency, user=planner, reason=f"cambio {n}", name=f"Dirección {agency.pk}-{n}")
        with CaptureQueriesContext(connection) as ctx:
            history_entries(agency)
        return len(ctx.captured_queries)

    assert queries_for(2) == queries_for(40)


def test_the_administrator_reverts_a_change_and_the_reversion_is_recorded(administrator):
    agency = AgencyFactory(name="Dirección de Obra", acronym="DO")
    _rename(agency, user=administrator, reason="error", name="Dirección equivocada", acronym="XX")
    wrong = agency.history.first()

    services.history_revert(record=wrong, actor=administrator)

    agency.refresh_from_db()
    assert (agency.name, agency.acronym) == ("Dirección de Obra", "DO")
    latest = agency.history.first()
    assert latest.history_user == administrator and "Reversión" in latest.history_change_reason
    assert Event.objects.filter(action="history_revert", object_id=agency.pk, actor=administrator).exists()


def test_a_planner_cannot_revert(planner, client):
    agency = AgencyFactory(name="Original")
    _rename(agency, user=planner, reason="cambio", name="Nuevo")
    client.force_login(planner)
    url = reverse("implan:history_revert", args=["implan.agency", agency.history.first().history_id])
    assert client.post(url).status_code == 403
    agency.refresh_from_db()
    assert agency.name == "Nuevo"


def test_a_change_overwritten_later_is_not_reverted_silently(administrator):
    agency = AgencyFactory(name="Uno")
    _rename(agency, user=administrator, reason="a", name="Dos")
    first_change = agency.history.first()
    _rename(agency, user=administrator, reason="b", name="Tres")
    with pytest.raises(DomainError, match="cambió después"):
        services.history_revert(record=first_change, actor=administrator)
    agency.refresh_from_db()
    assert agency.name == "Tres"


def test_nothing_of_an_approved_instrument_can_be_reverted_by_hand(administrator):
    plan = StrategicPlanFactory(summary="Aprobado")
    strategy = StrategyFactory(plan=plan, name="Hábitat")
    _rename(strategy, user=administrator, reason="antes de aprobar", name="Hábitat y vivienda")
    plan.state = LifecycleState.APPROVED
    plan.save()
    with pytest.raises(DomainError, match="aprobado o publicado"):
        services.history_revert(record=strategy.history.first(), actor=administrator)
    strategy.refresh_from_db()
    assert strategy.name == "Hábitat y vivienda"


def test_lifecycle_fields_are_never_reverted(administrator):
    programme = ProgrammeFactory()
    _rename(programme, user=administrator, reason="estado", state=LifecycleState.IN_REVIEW)
    with pytest.raises(DomainError, match="datos de control"):
        services.history_revert(record=programme.history.first(), actor=administrator)
    programme.refresh_from_db()
    assert programme.state == LifecycleState.IN_REVIEW


def test_the_audit_log_filters_by_user_type_date_and_text(administrator, planner):
    agency = AgencyFactory(name="Dirección de Cultura")
    _rename(agency, user=planner, reason="ajuste de siglas", acronym="IC")
    programme = ProgrammeFactory()
    _rename(programme, user=administrator, reason="otro motivo", name="Cultura en los barrios")

    def labels(**criteria) -> list[tuple[str, str]]:
        return [(e.model_label, e.reason) for e in audit_entries(audit_rows(AuditFilter(**criteria)))]

    assert labels(user=planner) == [("implan.agency", "ajuste de siglas")]
    assert ("planning.programme", "otro motivo") in labels(model_label="planning.programme")
    assert all(m == "planning.programme" for m, _ in labels(model_label="planning.programme"))
    assert ("implan.agency", "ajuste de siglas") in labels(text="SIGLAS")
    assert ("planning.programme", "otro motivo") in labels(text="barrios")
    assert labels(date_to=datetime.date(2000, 1, 1)) == []


def test_the_audit_log_page_shows_changes_and_is_refused_to_non_administrators(client, administrator, planner):
    agency = AgencyFactory(name="Dirección de Movilidad")
    _rename(agency, user=planner, reason="Nombre oficial", name="Dirección General de Movilidad")
    client.force_login(planner)
    assert client.get(reverse("implan:audit_log")).status_code == 403
    client.force_login(administrator)
    page = client.get(reverse("implan:audit_log"), {"usuario": planner.username}).content.decode()
    assert "Nombre oficial" in page and "Dirección General de Movilidad" in page and "Revertir este cambio" in page
    bad = client.get(reverse("implan:audit_log"), {"desde": "2026-02-01", "hasta": "2026-01-01"}).content.decode()
    assert "posterior a la fecha" in bad


def test_the_audit_log_page_takes_the_same_queries_as_changes_grow(client, administrator, planner):
    def queries(n: int) -> int:
        for i in range(n):
            agency = AgencyFactory()
            _rename(agency, user=planner, reason=f"r{i}", name=f"Dependencia {agency.pk}")
            ProgrammeFactory(name=f"Programa {i}", code=f"PX{n}-{i}")
        client.force_login(administrator)
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("implan:audit_log")).status_code == 200
        return len(ctx.captured_queries)

    assert queries(3) == queries(60)


def test_accounts_are_deactivated_never_deleted(client, superuser, planner):
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_delete", args=[planner.pk])).status_code == 403
    changelist = client.get(reverse("admin:auth_user_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    response = client.post(reverse("admin:auth_user_changelist"),
                           {"action": "deactivate", "_selected_action": [planner.pk, superuser.pk]})
    assert response.status_code == 302
    planner.refresh_from_db()
    superuser.refresh_from_db()
    assert planner.is_active is False and superuser.is_active is True  # nobody locks themselves out


def test_figures_the_services_derive_are_never_reverted_by_hand(administrator):
    from tests.factories import ProjectFactory

    project = ProjectFactory()
    _rename(project, user=administrator, reason="avance", physical_progress=Decimal("40"),
            priority_score=Decimal("80"))
    with pytest.raises(DomainError, match="datos de control"):
        services.history_revert(record=project.history.first(), actor=administrator)


def test_an_object_without_a_name_is_named_by_its_type_not_as_a_historical_row(planner):
    from tests.factories import AllocationFactory

    allocation = AllocationFactory()
    entry = history_entries(allocation)[0]
    assert entry.object_label == f"asignación anual #{allocation.pk}"
