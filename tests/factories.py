"""factory_boy factories for the portal's models. Tests build the smallest world they need with these."""

import datetime
from decimal import Decimal

import factory
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from councils import models as councils
from implan import models as implan
from indicators import models as indicators
from planning import models as planning
from projects import models as projects

PASSWORD = "clave-de-prueba-segura-2026"


def edit(obj: object, *, user: object, reason: str, **fields: object) -> None:
    """Change fields of a saved object the way a person does: one history row naming the user and the reason."""
    for name, value in fields.items():
        setattr(obj, name, value)
    obj._history_user = user
    obj._change_reason = reason
    obj.save()


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"usuario{n}")
    first_name = factory.Faker("first_name", locale="es_MX")
    last_name = factory.Faker("last_name", locale="es_MX")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.org")
    password = factory.PostGenerationMethodCall("set_password", PASSWORD)

    @factory.post_generation
    def roles(self, create: bool, extracted: list[str] | None, **kwargs: object) -> None:
        if create and extracted:
            for name in extracted:
                self.groups.add(Group.objects.get(name=name))
        if create:
            self.save()


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = implan.Agency
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Dirección General número {n}")
    slug = factory.Sequence(lambda n: f"dependencia-{n}")
    acronym = factory.Sequence(lambda n: f"DG{n}")


class TerritoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = implan.Territory
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Colonia {n}")
    kind = implan.TerritoryKind.COLONIA
    code = factory.Sequence(lambda n: f"col-{n}")


class MunicipalityFactory(TerritoryFactory):
    name = "León"
    kind = implan.TerritoryKind.MUNICIPIO
    code = "11020"
    inegi_code = "11020"
    latitude = Decimal("21.122000")
    longitude = Decimal("-101.684000")


class AdministrationTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = implan.AdministrationTerm
        django_get_or_create = ("name",)

    name = "2024–2027"
    start_date = datetime.date(2024, 10, 10)
    end_date = datetime.date(2027, 10, 9)


class FiscalYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = implan.FiscalYear
        django_get_or_create = ("year",)

    year = 2025
    administration_term = factory.SubFactory(AdministrationTermFactory)


class BodyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = councils.Body
        django_get_or_create = ("slug",)

    name = factory.Sequence(lambda n: f"Consejo Sectorial {n}")
    slug = factory.Sequence(lambda n: f"consejo-{n}")
    kind = councils.BodyKind.SECTORAL_COUNCIL


class ConsultativeCouncilFactory(BodyFactory):
    name = "Consejo Consultivo de Planeación"
    slug = "consejo-consultivo"
    kind = councils.BodyKind.CONSULTATIVE_COUNCIL
    seat_limit = 25
    renewal_period_years = 3
    renewal_min_continuity_percent = Decimal("50")


class BodyTermFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = councils.BodyTerm

    body = factory.SubFactory(BodyFactory)
    name = "2024–2027"
    start_date = datetime.date(2024, 10, 10)
    end_date = datetime.date(2027, 10, 9)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = councils.Person

    name = factory.Faker("name", locale="es_MX")
    sort_name = factory.LazyAttribute(lambda p: p.name)
    slug = factory.Sequence(lambda n: f"persona-{n}")
    is_demo = True


class PersonContactFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = councils.PersonContact

    person = factory.SubFactory(PersonFactory)
    email = factory.Sequence(lambda n: f"privado{n}@correo-privado.example")
    phone = factory.Sequence(lambda n: f"477 555 {n:04d}")
    address = "Calle Privada 123, León, Gto."


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = councils.Membership

    person = factory.SubFactory(PersonFactory)
    body = factory.SubFactory(BodyFactory)
    role = councils.MembershipRole.COUNCILLOR
    sector = councils.Sector.CITIZEN
    start_date = datetime.date(2024, 1, 1)


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = councils.Session

    body = factory.SubFactory(BodyFactory)
    number = factory.Sequence(lambda n: n + 1)
    scheduled_at = factory.LazyFunction(lambda: datetime.datetime(2025, 3, 4, 17, 0, tzinfo=datetime.UTC))
    place = "Sala de juntas del IMPLAN"


class AgendaItemFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = councils.AgendaItem

    session = factory.SubFactory(SessionFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = "Asunto para acuerdo"
    kind = councils.AgendaItemKind.DECISION


class MotionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = councils.Motion

    agenda_item = factory.SubFactory(AgendaItemFactory)
    text = "Se aprueba el asunto."


class ResolutionFactory(factory.django.DjangoModelFactory):
    """A resolution written straight into the table (the services number and seal theirs on closing a vote)."""

    class Meta:
        model = councils.Resolution

    session = factory.SubFactory(SessionFactory)
    body = factory.SelfAttribute("session.body")
    adopted_on = datetime.date(2025, 3, 4)
    year = factory.SelfAttribute("adopted_on.year")
    number = factory.Sequence(lambda n: n + 1)
    text = factory.Sequence(lambda n: f"Acuerdo {n}")


class IndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = indicators.Indicator
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"IND-{n:03d}")
    name = factory.Sequence(lambda n: f"Indicador {n}")
    slug = factory.Sequence(lambda n: f"indicador-{n}")
    definition = "Lo que mide el indicador."
    unit = "%"
    family = indicators.Family.QUALITY_OF_LIFE
    polarity = indicators.Polarity.HIGHER_IS_BETTER
    source = "INEGI"


class ObservationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = indicators.Observation

    indicator = factory.SubFactory(IndicatorFactory)
    territory = factory.SubFactory(MunicipalityFactory)
    period = "2020"
    period_start = datetime.date(2020, 1, 1)
    value = Decimal("10.5")


class StrategicPlanFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.StrategicPlan

    title = "León hacia el Futuro, Visión 2025"
    slug = factory.Sequence(lambda n: f"plan-{n}")
    horizon_year = 2025


class VisionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Vision

    plan = factory.SubFactory(StrategicPlanFactory)
    statement = "León es una ciudad sustentable."
    horizon_year = 2040


class DiagnosisFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Diagnosis

    plan = factory.SubFactory(StrategicPlanFactory)
    title = "Diagnóstico 2024"


class DiagnosisSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.DiagnosisSection

    diagnosis = factory.SubFactory(DiagnosisFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Tema {n}")
    body = "Texto del diagnóstico."


class VertienteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Vertiente

    plan = factory.SubFactory(StrategicPlanFactory)
    order = factory.Sequence(lambda n: n + 1)
    name = "Desarrollo social y económico"


class StrategyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Strategy

    plan = factory.SelfAttribute("vertiente.plan")
    vertiente = factory.SubFactory(VertienteFactory)
    number = factory.Sequence(lambda n: n + 1)
    name = factory.Sequence(lambda n: f"Estrategia {n}")
    slug = factory.Sequence(lambda n: f"estrategia-{n}")


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Programme

    code = factory.Sequence(lambda n: f"P{n:03d}")
    name = factory.Sequence(lambda n: f"Programa {n}")
    slug = factory.Sequence(lambda n: f"programa-{n}")
    strategy = factory.SubFactory(StrategyFactory)


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Budget

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    title = "Presupuesto 2025"
    ceiling = Decimal("1000000.00")


class GovernmentPlanFactory(factory.django.DjangoModelFactory):
    """A government plan; ``programmes=[...]`` commits it to programmes."""

    class Meta:
        model = planning.GovernmentPlan
        skip_postgeneration_save = True

    administration_term = factory.SubFactory(AdministrationTermFactory)
    title = "Programa de Gobierno 2024–2027"

    @factory.post_generation
    def programmes(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create and extracted:
            self.programmes.set(extracted)


class ProgrammeCeilingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.ProgrammeCeiling

    budget = factory.SubFactory(BudgetFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    amount = Decimal("500000.00")


class ProjectFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = projects.Project

    code = factory.Sequence(lambda n: f"PE-{n:04d}")
    title = factory.Sequence(lambda n: f"Proyecto {n}")
    slug = factory.Sequence(lambda n: f"proyecto-{n}")
    problem = "Un problema que el proyecto atiende."
    strategy = factory.SubFactory(StrategyFactory)
    territory = factory.SubFactory(MunicipalityFactory)
    agency = factory.SubFactory(AgencyFactory)


class ObjectiveFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Objective

    strategy = factory.SubFactory(StrategyFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Objetivo {n}")


class GoalFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Goal

    objective = factory.SubFactory(ObjectiveFactory)
    description = factory.Sequence(lambda n: f"Meta {n}")
    indicator = factory.SubFactory(IndicatorFactory)
    baseline_value = Decimal("50")
    baseline_year = 2020
    target_value = Decimal("70")
    target_year = 2030


# --- Portfolio (projects) -------------------------------------------------------------------------------------


class BudgetLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.BudgetLine

    budget = factory.SubFactory(BudgetFactory)
    programme = factory.SubFactory(ProgrammeFactory)
    agency = factory.SubFactory(AgencyFactory)
    chapter = planning.SpendingChapter.PUBLIC_WORKS
    funding_source = planning.FundingSource.OWN
    description = factory.Sequence(lambda n: f"Concepto {n}")
    approved_amount = Decimal("500000.00")
    modified_amount = factory.SelfAttribute("approved_amount")
    executed_amount = Decimal("0.00")


class AnnualReportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.AnnualReport

    fiscal_year = factory.SubFactory(FiscalYearFactory)
    title = "Informe anual 2025"


class ReportSectionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.ReportSection

    report = factory.SubFactory(AnnualReportFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Sección {n}")
    body = "Texto de la sección."


class EvaluationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.Evaluation

    plan = factory.SubFactory(StrategicPlanFactory, state="publicado")
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    title = "Evaluación 2025"


class EvaluationFindingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = planning.EvaluationFinding

    evaluation = factory.SubFactory(EvaluationFactory)
    kind = planning.FindingKind.FINDING
    text = factory.Sequence(lambda n: f"Hallazgo {n}")


class AllocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = projects.Allocation

    project = factory.SubFactory(ProjectFactory)
    fiscal_year = factory.SubFactory(FiscalYearFactory)
    budget_line = None
    amount = Decimal("500.00")


class MilestoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = projects.Milestone

    project = factory.SubFactory(ProjectFactory)
    order = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Hito {n}")
    planned_date = datetime.date(2025, 6, 30)


class AssessmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = projects.Assessment

    project = factory.SubFactory(ProjectFactory)
    assessed_by = factory.SubFactory(UserFactory)
    score = Decimal("70.00")


class ScoringCriterionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = projects.ScoringCriterion
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"criterio-{n}")
    name = factory.Sequence(lambda n: f"Criterio {n}")
    weight = Decimal("1")
    order = factory.Sequence(lambda n: n)


class AgencyLiaisonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = projects.AgencyLiaison

    user = factory.SubFactory(UserFactory)
    agency = factory.SubFactory(AgencyFactory)


# --- Indicator imports ----------------------------------------------------------------------------------------


class ImportJobFactory(factory.django.DjangoModelFactory):
    """An uploaded file waiting in the queue; ``content`` is the file's bytes."""

    class Meta:
        model = indicators.ImportJob

    created_by = factory.SubFactory(UserFactory)
    file_name = "serie.csv"
    content = b""
    size = factory.LazyAttribute(lambda job: len(job.content))
