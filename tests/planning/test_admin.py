"""The parts of an instrument under review, approved or published cannot be edited in the Django admin."""

import pytest
import tablib
from django.urls import reverse

from implan.models import LifecycleState
from planning.models import Objective
from planning.resources import StrategyResource
from tests.factories import BudgetFactory, BudgetLineFactory
from tests.planning.plan_builders import plan_world

pytestmark = pytest.mark.django_db


def _objective_data(objective: Objective, title: str) -> dict:
    return {"strategy": objective.strategy_id, "number": objective.number, "title": title, "description": ""}


def _change(objective: Objective) -> str:
    return reverse("admin:planning_objective_change", args=[objective.pk])


def test_an_objective_of_a_published_plan_cannot_be_changed_in_the_admin(client, superuser):
    objective = plan_world(state=LifecycleState.PUBLISHED).objectives[0]
    title = objective.title
    client.force_login(superuser)
    assert client.get(_change(objective)).status_code == 200  # it may still be read
    assert client.post(_change(objective), _objective_data(objective, "Otro objetivo")).status_code == 403
    objective.refresh_from_db()
    assert objective.title == title


def test_an_objective_of_a_plan_under_review_cannot_be_changed_in_the_admin(client, superuser):
    objective = plan_world(state=LifecycleState.IN_REVIEW).objectives[0]
    client.force_login(superuser)
    assert client.post(_change(objective), _objective_data(objective, "Otro objetivo")).status_code == 403


def test_an_objective_of_a_draft_plan_can_still_be_edited_in_the_admin(client, superuser):
    objective = plan_world().objectives[0]
    client.force_login(superuser)
    assert client.post(_change(objective), _objective_data(objective, "Objetivo corregido")).status_code == 302
    objective.refresh_from_db()
    assert objective.title == "Objetivo corregido"


def test_a_goal_of_a_published_plan_cannot_be_deleted_in_the_admin(client, superuser):
    goal = plan_world(state=LifecycleState.PUBLISHED).goals[0]
    client.force_login(superuser)
    response = client.post(reverse("admin:planning_goal_delete", args=[goal.pk]), {"post": "yes"})
    assert response.status_code == 403
    assert type(goal).objects.filter(pk=goal.pk).exists()


def test_no_objective_is_added_to_a_strategy_of_a_published_plan(client, superuser):
    strategy = plan_world(state=LifecycleState.PUBLISHED).strategies[0]
    client.force_login(superuser)
    response = client.post(
        reverse("admin:planning_objective_add"),
        {"strategy": strategy.pk, "number": 9, "title": "Objetivo colado", "description": ""},
    )
    assert response.status_code == 200  # the form answers with an error instead of saving
    assert not Objective.objects.filter(title="Objetivo colado").exists()


def test_a_budget_line_of_an_approved_budget_cannot_be_changed_in_the_admin(client, superuser):
    line = BudgetLineFactory(budget=BudgetFactory(state=LifecycleState.APPROVED))
    client.force_login(superuser)
    url = reverse("admin:planning_budgetline_change", args=[line.pk])
    response = client.post(
        url,
        {
            "budget": line.budget_id,
            "programme": line.programme_id,
            "agency": line.agency_id,
            "chapter": line.chapter,
            "funding_source": line.funding_source,
            "description": "Otro concepto",
            "approved_amount": "1.00",
            "modified_amount": "1.00",
            "executed_amount": "0.00",
        },
    )
    assert response.status_code == 403
    line.refresh_from_db()
    assert line.approved_amount == 500000


def test_importing_strategies_into_a_published_plan_is_refused(superuser):
    world = plan_world(state=LifecycleState.PUBLISHED)
    strategy = world.strategies[0]
    dataset = tablib.Dataset(headers=["plan", "slug", "number", "name", "vertiente", "description"])
    dataset.append([world.plan.pk, strategy.slug, strategy.number, "Nombre cambiado", strategy.vertiente_id, ""])
    result = StrategyResource().import_data(dataset, dry_run=False, user=superuser)
    [invalid] = result.invalid_rows
    assert invalid.error_dict["__all__"] == [
        "Solo se importan filas de instrumentos en borrador; para cambiar uno "
        "aprobado o publicado cree una nueva versión."
    ]
    strategy.refresh_from_db()
    assert strategy.name == "Desarrollo Sustentable"


def test_only_admins_whose_import_refuses_non_draft_rows_offer_import(client, superuser):
    """import-export's default resource would write state and hash into any instrument: no import there."""
    client.force_login(superuser)
    assert client.get(reverse("admin:planning_goal_import")).status_code == 403
    assert client.get(reverse("admin:planning_strategicplan_import")).status_code == 403
    assert client.get(reverse("admin:planning_strategy_import")).status_code == 200


def test_nothing_is_reverted_through_the_admins_history_page(client, superuser):
    """The old row would come back whole (state and hash included); reverting goes through the audit log."""
    objective = plan_world().objectives[0]
    first = objective.history.earliest()
    objective.title = "Título nuevo"
    objective.save()
    client.force_login(superuser)
    url = reverse("admin:planning_objective_simple_history", args=[objective.pk, first.history_id])
    assert client.get(url).status_code == 200
    assert client.post(url, _objective_data(objective, first.title)).status_code == 403
    objective.refresh_from_db()
    assert objective.title == "Título nuevo"


def test_no_budget_line_is_added_over_the_ceiling_through_the_admins_form(client, superuser):
    """budget_line_save refuses a line over the ceiling; the admin's add form skipped it (1,400,000 of 1,000,000)."""
    line = BudgetLineFactory()
    client.force_login(superuser)
    response = client.post(
        reverse("admin:planning_budgetline_add"),
        {
            "budget": line.budget_id,
            "programme": line.programme_id,
            "agency": line.agency_id,
            "chapter": line.chapter,
            "funding_source": line.funding_source,
            "description": "Colectores",
            "approved_amount": "900000.00",
            "modified_amount": "900000.00",
            "executed_amount": "0.00",
        },
    )
    assert response.status_code == 403
    assert line.budget.lines.count() == 1


def test_a_draft_budgets_lines_and_ceilings_are_shown_not_edited_in_its_admin_page(client, superuser):
    line = BudgetLineFactory()
    client.force_login(superuser)
    page = client.get(reverse("admin:planning_budget_change", args=[line.budget_id])).content.decode()
    assert 'name="lines-0-approved_amount"' not in page  # the lines are shown, not offered for editing
    for name in ("budgetline", "programmeceiling"):
        assert client.get(reverse(f"admin:planning_{name}_add")).status_code == 403


def _line_dataset(budget, line, **codes) -> tablib.Dataset:
    headers = [
        "id",
        "budget",
        "programme",
        "agency",
        "chapter",
        "partida",
        "specific_partida",
        "subfunction",
        "modality",
    ]
    headers += ["source", "funding_source", "description", "approved_amount", "modified_amount", "executed_amount"]
    dataset = tablib.Dataset(headers=headers)
    row = {
        "id": "",
        "budget": budget.pk,
        "programme": line.programme.code,
        "agency": line.agency.slug,
        "chapter": "",
        "specific_partida": "",
        "funding_source": "recursos_propios",
        "description": "Pavimentación importada",
        "approved_amount": "1000",
        "modified_amount": "1000",
        "executed_amount": "0",
        **codes,
    }
    dataset.append([row[h] for h in headers])
    return dataset


def test_budget_lines_import_with_their_conac_codes_and_a_bad_code_is_refused_in_spanish(superuser):
    from planning.models import BudgetLine
    from planning.resources import BudgetLineResource

    budget = BudgetFactory(ceiling=10**9)
    model = BudgetLineFactory(budget=budget)
    codes = {"partida": 6120.0, "subfunction": "2.2.1", "modality": "k", "source": 11}  # as a spreadsheet holds them
    result = BudgetLineResource().import_data(_line_dataset(budget, model, **codes), dry_run=False, user=superuser)
    assert not result.has_errors() and not result.invalid_rows
    line = BudgetLine.objects.get(description="Pavimentación importada")
    assert (line.partida.code, line.chapter, line.subfunction.code, line.modality.code, line.source.code) == (
        "6120",
        "6000",
        "2.2.1",
        "K",
        "11",
    )

    bad = {**codes, "partida": "2115"}
    result = BudgetLineResource().import_data(_line_dataset(budget, model, **bad), dry_run=False, user=superuser)
    [invalid] = result.invalid_rows
    assert "La partida 2115 no existe en el Clasificador por Objeto del Gasto." in str(invalid.error_dict)
    assert BudgetLine.objects.filter(description="Pavimentación importada").count() == 1
