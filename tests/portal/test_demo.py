"""The demo: León's planning system, idempotent, with every body kind and the seed approved in sessions."""

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.db.models import Sum
from django.urls import reverse
from guardian.models import UserObjectPermission
from guardian.shortcuts import assign_perm
from jsonschema import Draft4Validator

from councils.models import Body, BodyKind, Membership, Minutes, Resolution, Sector
from implan.integrity import verify_all
from implan.models import Event, LifecycleState
from implan.permissions import objects_for
from indicators.models import Family, Indicator
from planning.models import Budget, StrategicPlan, Strategy
from planning.permissions import can_edit_strategy_content
from projects.models import Project, ProjectStatus

pytestmark = pytest.mark.django_db


def _fiscal_validator() -> Draft4Validator:
    schema = Path(__file__).resolve().parents[2] / "planning" / "schemas" / "fiscal" / "fiscal-data-package.json"
    return Draft4Validator(json.loads(schema.read_text()))


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def test_a_second_run_changes_nothing_not_even_history(demo):
    before = _counts()
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _counts() == before


def test_the_plan_has_nine_strategies_each_with_its_commission(demo):
    plan = StrategicPlan.objects.get(slug="leon-hacia-el-futuro")
    assert plan.state == LifecycleState.PUBLISHED
    assert Strategy.objects.filter(plan=plan).count() == 9
    assert set(Strategy.objects.values_list("commission__kind", flat=True)) == {BodyKind.STRATEGY_COMMISSION}
    assert plan.vertientes.count() == 2


def test_the_consultative_council_has_25_current_citizen_members(demo):
    council = Body.objects.get(kind=BodyKind.CONSULTATIVE_COUNCIL)
    members = Membership.objects.current().filter(body=council, has_vote=True)
    assert members.count() == 25
    assert set(members.values_list("sector", flat=True)) == {Sector.CITIZEN}


def test_every_body_kind_is_present(demo):
    assert set(Body.objects.values_list("kind", flat=True)) == set(BodyKind.values)


def test_projects_and_indicators_are_spread_over_the_plan(demo):
    assert Project.objects.count() >= 30
    assert set(Project.objects.values_list("status", flat=True)) == set(ProjectStatus.values)
    assert Project.objects.values("strategy").distinct().count() == 9
    assert Indicator.objects.count() >= 15
    assert set(Indicator.objects.values_list("family", flat=True)) == set(Family.values)


def test_2025_budget_is_published_within_its_ceiling_and_2026_is_a_draft(demo):
    budgets = {b.fiscal_year.year: b for b in Budget.objects.select_related("fiscal_year")}
    assert budgets[2025].state == LifecycleState.PUBLISHED
    assert budgets[2026].state == LifecycleState.DRAFT
    total = budgets[2025].lines.aggregate(total=Sum("approved_amount"))["total"]
    assert Decimal("0") < total <= budgets[2025].ceiling


def test_2024_was_approved_by_the_ayuntamiento_of_its_time_closed_and_is_shown_beside_2025(client, demo):
    budgets = {b.fiscal_year.year: b for b in Budget.objects.published().select_related("fiscal_year")}
    assert set(budgets) == {2024, 2025}
    closed = budgets[2024]
    assert closed.fiscal_year.is_closed
    sums = closed.lines.aggregate(
        approved=Sum("approved_amount"), modified=Sum("modified_amount"), executed=Sum("executed_amount")
    )
    assert sums["modified"] == sums["approved"] <= closed.ceiling  # adecuaciones move money; the total stays
    assert Decimal("0.85") * sums["modified"] < sums["executed"] < sums["modified"]

    resolution = Resolution.objects.select_related("session", "motion").get(body__kind=BodyKind.AYUNTAMIENTO, year=2023)
    assert (resolution.number, resolution.session.number, resolution.motion.result) == (1, 1, "aprobada")
    assert {v.membership.end_date for v in resolution.motion.votes.select_related("membership")} == {
        datetime.date(2024, 10, 9)
    }  # cast by the Ayuntamiento of 2021–2024

    page = client.get(reverse("planning:budget_year", args=[2025])).content.decode()
    assert f'<a href="{reverse("planning:budget_year", args=[2024])}">2024</a>' in page
    assert "Comparación con 2024" in page
    hub = client.get(reverse("implan:open_data")).content.decode()
    for year in (2024, 2025):
        assert reverse("planning:budget_datapackage", args=[year]) in hub
        descriptor = client.get(reverse("planning:budget_datapackage", args=[year])).json()
        assert descriptor["fiscalPeriod"]["start"] == f"{year}-01-01"
        assert list(_fiscal_validator().iter_errors(descriptor)) == []


def test_the_seed_was_approved_in_recorded_sessions(demo):
    approvals = Event.objects.filter(action="instrument_aprobado")
    assert approvals.count() == 6  # plan, government plan, budgets 2024 and 2025, report 2025, evaluation 2025
    assert Resolution.objects.filter(body__kind=BodyKind.AYUNTAMIENTO).count() == 5
    assert Minutes.objects.get().state == "publicada"
    checked, mismatches = verify_all()
    assert mismatches == []
    assert checked >= Resolution.objects.count() + 7  # every resolution, the six instruments and the minutes


def test_demo_people_are_marked_and_have_private_contacts(demo):
    from councils.models import Person

    assert not Person.objects.filter(is_demo=False).exists()
    assert Person.objects.filter(contact__email__endswith="@correo-privado.example").count() == Person.objects.count()


def test_the_2025_report_and_evaluation_are_published_and_the_budget_has_its_execution(demo):
    from planning.models import AnnualReport, Evaluation
    from planning.selectors.evaluation import diagnosis_inputs
    from planning.selectors.report import annual_report_data

    report = AnnualReport.objects.get(fiscal_year__year=2025)
    assert report.state == LifecycleState.PUBLISHED and report.sections.count() == 4
    assert Evaluation.objects.get().state == LifecycleState.PUBLISHED
    data = annual_report_data(fiscal_year=report.fiscal_year, report=report)
    budget = Budget.objects.get(fiscal_year__year=2025)
    assert data.approved == budget.lines.aggregate(total=Sum("approved_amount"))["total"]
    assert Decimal("0") < data.executed < data.modified <= budget.ceiling
    assert data.project_count > 0 and budget.programme_ceilings.count() == 13
    kinds = [f.kind for f in diagnosis_inputs()]
    assert kinds.count("recomendacion") == 2 and kinds.count("hallazgo") >= 1


# The README's table of demo accounts names, for `secretario`, the bodies whose technical secretary he is.
README = Path(__file__).resolve().parents[2] / "README.md"
SECRETARY_BODIES_IN_README = {"consejo-consultivo": "Consejo Consultivo", "ayuntamiento": "Ayuntamiento"}


def _secretary_bodies() -> dict[str, set[str]]:
    secretary = get_user_model().objects.get(username="secretario")
    return {
        perm: set(objects_for(secretary, f"councils.{perm}", Body.objects.all()).values_list("slug", flat=True))
        for perm in ("manage_sessions", "manage_memberships")
    }


def test_the_demo_secretary_conducts_exactly_the_bodies_the_readme_table_names(demo):
    row = next(line for line in README.read_text(encoding="utf-8").splitlines() if line.startswith("| `secretario` |"))
    assert all(name in row for name in SECRETARY_BODIES_IN_README.values())
    assert not any(word in row.lower() for word in ("sectorial", "comisión", "comunitario", "junta"))
    expected = set(SECRETARY_BODIES_IN_README)
    assert _secretary_bodies() == {"manage_sessions": expected, "manage_memberships": expected}
    # A database loaded by an earlier demo, which let him convene the sectoral councils, is brought in line.
    secretary = get_user_model().objects.get(username="secretario")
    for body in Body.objects.filter(kind=BodyKind.SECTORAL_COUNCIL):
        assign_perm("councils.manage_sessions", secretary, body)
    call_command("load_demo", stdout=open("/dev/null", "w"))
    assert _secretary_bodies()["manage_sessions"] == expected


def test_the_demos_grants_are_made_by_the_services_and_commissions_edit_through_their_seats(demo):
    granted = Event.objects.filter(action="body_secretary_granted", actor__username="admin")
    assert {e.data["username"] for e in granted} == {"secretario"} and granted.count() == 2
    assert Event.objects.filter(action="agency_liaison_granted", actor__username="admin").count() == 1
    # A commission member edits their strategy because they sit on its commission, not by a grant that would
    # outlive the seat.
    assert not UserObjectPermission.objects.filter(permission__codename="edit_strategy_content").exists()
    member = get_user_model().objects.get(username="consejero01")
    strategy = Strategy.objects.get(commission__memberships__person__user=member)
    assert can_edit_strategy_content(member, strategy)


def test_the_accent_mapping_only_restores_accents_of_names_in_the_inegi_file():
    import csv
    import unicodedata

    from implan.portal.demo.catalog import ACCENTED_LOCALITY_NAMES, DATA

    with open(DATA / "leon_localidades_1000plus_2020.csv", encoding="utf-8") as handle:
        names = {row["nom_localidad"] for row in csv.DictReader(handle)}
    assert set(ACCENTED_LOCALITY_NAMES) <= names
    for stripped, accented in ACCENTED_LOCALITY_NAMES.items():
        plain = unicodedata.normalize("NFKD", accented).encode("ascii", "ignore").decode()
        assert plain.casefold() == stripped.casefold() and accented != stripped


def test_localities_carry_inegis_names_with_their_accents():
    from implan.models import Territory
    from implan.portal.demo.catalog import build_territories

    build_territories()
    assert Territory.objects.get(code="110200001").name == "León de los Aldama"
    assert Territory.objects.get(code="110200464").name == "Álvaro Obregón (Santa Ana del Conde)"
    assert Territory.objects.get(code="110200490").name == "Vaquerías"


def test_the_population_is_compared_with_guanajuato_and_mexico_from_the_same_census(demo, client):
    page = client.get(reverse("indicators:indicator_comparison", args=["pob-01-poblacion-total"])).content.decode()
    # INEGI's Census 2020: León 1,721,215; Guanajuato 6,166,934; México 126,014,024 (sums of the municipal catalogue).
    for name, total in [("León", "1,721,215"), ("Guanajuato", "6,166,934"), ("México", "126,014,024")]:
        assert name in page and total in page, name
