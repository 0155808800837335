"""History people can read: readable labels, old → new, who and why; the audit log's filters; reverting is for
administrators. The audit log's pages are tested in tests/portal/test_audit_log.py."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.signals import post_init
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from implan import services
from implan.errors import DomainError
from implan.history import AuditFilter, audit_entries, audit_rows, history_entries
from implan.models import Event, LifecycleState
from tests.factories import (
    AgencyFactory,
    IndicatorFactory,
    ProgrammeFactory,
    StrategicPlanFactory,
    StrategyFactory,
    edit,
)

pytestmark = pytest.mark.django_db


def test_an_entry_names_the_field_by_its_label_and_shows_old_and_new_values(planner):
    programme = ProgrammeFactory(name="Agua para todos", code="P02")
    agency = AgencyFactory(name="SAPAL", slug="sapal")
    edit(programme, user=planner, reason="Corrección del nombre", name="Agua para Todos", agency=agency)

    latest = history_entries(programme)[0]

    assert latest.user == planner and latest.reason == "Corrección del nombre" and latest.action == "Modificó"
    changes = {c.label: (c.old, c.new) for c in latest.changes}
    assert changes == {"nombre": ("Agua para todos", "Agua para Todos"), "dependencia responsable": ("—", "SAPAL")}


def test_choices_booleans_and_decimals_read_as_people_write_them(planner):
    indicator = IndicatorFactory(polarity="ascendente", is_published=True)
    edit(indicator, user=planner, reason="Revisión", polarity="descendente", is_published=False)
    changes = {c.label: (c.old, c.new) for c in history_entries(indicator)[0].changes}
    assert changes["sentido"] == ("Ascendente (más es mejor)", "Descendente (menos es mejor)")
    assert changes["publicado"] == ("Sí", "No")


def test_history_of_several_objects_is_merged_newest_first(planner):
    plan = StrategicPlanFactory()
    strategy = StrategyFactory(plan=plan)
    edit(plan, user=planner, reason="primero", summary="Resumen 1")
    edit(strategy, user=planner, reason="después", name="Hábitat")
    reasons = [e.reason for e in history_entries(plan, plan.strategies.all())]
    assert reasons.index("después") < reasons.index("primero")


def test_reading_history_takes_the_same_queries_for_few_or_many_changes(planner):
    def queries_for(changes: int) -> int:
        agency = AgencyFactory()
        for n in range(changes):
            edit(agency, user=planner, reason=f"cambio {n}", name=f"Dirección {agency.pk}-{n}")
        with CaptureQueriesContext(connection) as ctx:
            history_entries(agency)
        return len(ctx.captured_queries)

    assert queries_for(2) == queries_for(40)


def test_reading_history_loads_the_rows_it_shows_not_the_objects_whole_past(planner):
    agency = AgencyFactory()
    for n in range(60):
        edit(agency, user=planner, reason=f"cambio {n}", name=f"Dirección {n}")
    loaded = []
    record_model = type(agency.history.first())

    def count(sender, instance, **kwargs):
        loaded.append(instance)

    post_init.connect(count, sender=record_model)
    try:
        entries = history_entries(agency, limit=5)
    finally:
        post_init.disconnect(count, sender=record_model)
    assert [e.changes[0].new for e in entries] == [f"Dirección {n}" for n in (59, 58, 57, 56, 55)]
    assert entries[-1].changes[0].old == "Dirección 54"
    assert len(loaded) <= 10  # the five shown and the five just before them, of 61 rows


def test_the_administrator_reverts_a_change_and_the_reversion_is_recorded(administrator):
    agency = AgencyFactory(name="Dirección de Obra", acronym="DO")
    edit(agency, user=administrator, reason="error", name="Dirección equivocada", acronym="XX")
    wrong = agency.history.first()

    services.history_revert(record=wrong, actor=administrator)

    agency.refresh_from_db()
    assert (agency.name, agency.acronym) == ("Dirección de Obra", "DO")
    latest = agency.history.first()
    assert latest.history_user == administrator and "Reversión" in latest.history_change_reason
    assert Event.objects.filter(action="history_revert", object_id=agency.pk, actor=administrator).exists()


def test_a_change_overwritten_later_is_not_reverted_silently(administrator):
    agency = AgencyFactory(name="Uno")
    edit(agency, user=administrator, reason="a", name="Dos")
    first_change = agency.history.first()
    edit(agency, user=administrator, reason="b", name="Tres")
    with pytest.raises(DomainError, match="cambió después"):
        services.history_revert(record=first_change, actor=administrator)
    agency.refresh_from_db()
    assert agency.name == "Tres"


def test_nothing_of_an_approved_instrument_can_be_reverted_by_hand(administrator):
    plan = StrategicPlanFactory(summary="Aprobado")
    strategy = StrategyFactory(plan=plan, name="Hábitat")
    edit(strategy, user=administrator, reason="antes de aprobar", name="Hábitat y vivienda")
    plan.state = LifecycleState.APPROVED
    plan.save()
    with pytest.raises(DomainError, match="aprobado o publicado"):
        services.history_revert(record=strategy.history.first(), actor=administrator)
    strategy.refresh_from_db()
    assert strategy.name == "Hábitat y vivienda"


def test_lifecycle_fields_are_never_reverted(administrator):
    programme = ProgrammeFactory()
    edit(programme, user=administrator, reason="estado", state=LifecycleState.IN_REVIEW)
    with pytest.raises(DomainError, match="datos de control"):
        services.history_revert(record=programme.history.first(), actor=administrator)
    programme.refresh_from_db()
    assert programme.state == LifecycleState.IN_REVIEW


def test_the_audit_log_filters_by_user_type_date_and_text(administrator, planner):
    agency = AgencyFactory(name="Dirección de Cultura")
    edit(agency, user=planner, reason="ajuste de siglas", acronym="IC")
    programme = ProgrammeFactory()
    edit(programme, user=administrator, reason="otro motivo", name="Cultura en los barrios")

    def labels(**criteria) -> list[tuple[str, str]]:
        return [(e.model_label, e.reason) for e in audit_entries(audit_rows(AuditFilter(**criteria)))]

    assert labels(user=planner) == [("implan.agency", "ajuste de siglas")]
    assert ("planning.programme", "otro motivo") in labels(model_label="planning.programme")
    assert all(m == "planning.programme" for m, _ in labels(model_label="planning.programme"))
    assert ("implan.agency", "ajuste de siglas") in labels(text="SIGLAS")
    assert ("planning.programme", "otro motivo") in labels(text="barrios")
    assert labels(date_to=datetime.date(2000, 1, 1)) == []


def test_accounts_are_deactivated_never_deleted(client, superuser, planner):
    client.force_login(superuser)
    assert client.get(reverse("admin:auth_user_delete", args=[planner.pk])).status_code == 403
    changelist = client.get(reverse("admin:auth_user_changelist"))
    assert "delete_selected" not in changelist.content.decode()
    response = client.post(
        reverse("admin:auth_user_changelist"), {"action": "deactivate", "_selected_action": [planner.pk, superuser.pk]}
    )
    assert response.status_code == 302
    planner.refresh_from_db()
    superuser.refresh_from_db()
    assert planner.is_active is False and superuser.is_active is True  # nobody locks themselves out


def test_figures_the_services_derive_are_never_reverted_by_hand(administrator):
    from tests.factories import ProjectFactory

    project = ProjectFactory()
    edit(project, user=administrator, reason="avance", physical_progress=Decimal("40"), priority_score=Decimal("80"))
    with pytest.raises(DomainError, match="datos de control"):
        services.history_revert(record=project.history.first(), actor=administrator)


def test_an_object_without_a_name_is_named_by_its_type_not_as_a_historical_row(planner):
    from tests.factories import AllocationFactory

    allocation = AllocationFactory()
    entry = history_entries(allocation)[0]
    assert entry.object_label == f"asignación anual #{allocation.pk}"
