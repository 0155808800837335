"""The plan "León hacia el Futuro, Visión 2025", its strategies, indicators, programmes and budgets."""

import datetime
from decimal import Decimal

from django.utils.text import slugify

from implan.models import Agency, FiscalYear, LifecycleState, Territory
from indicators.models import Family, Frequency, Indicator, Observation, Polarity
from planning.models import (
    Budget,
    BudgetLine,
    Diagnosis,
    DiagnosisSection,
    FundingSource,
    Goal,
    GovernmentPlan,
    Objective,
    Programme,
    SpendingChapter,
    StrategicPlan,
    Strategy,
    Vertiente,
    Vision,
)

TERRITORY_VERTIENTE = "Ordenamiento sustentable del territorio"
SOCIAL_VERTIENTE = "Desarrollo social y económico"
# (number, name, vertiente, agency slug, objective)
STRATEGIES = [
    (1, "Desarrollo Sustentable", TERRITORY_VERTIENTE, "medio-ambiente",
     "Conservar el agua, el aire y las áreas naturales del municipio"),
    (2, "Rumbo Económico", SOCIAL_VERTIENTE, "desarrollo-economico",
     "Diversificar la economía y generar empleo formal"),
    (3, "Educación para la Vida", SOCIAL_VERTIENTE, "educacion",
     "Elevar la escolaridad y la calidad educativa"),
    (4, "Cultura y Valores", SOCIAL_VERTIENTE, "cultura", "Ampliar el acceso a la cultura en todos los barrios"),
    (5, "Salud y Deporte", SOCIAL_VERTIENTE, "salud", "Mejorar la salud y la actividad física de la población"),
    (6, "Hábitat", TERRITORY_VERTIENTE, "desarrollo-social", "Mejorar la vivienda y el entorno de los barrios"),
    (7, "Infraestructura y Equipamiento Nodal", TERRITORY_VERTIENTE, "obra-publica",
     "Dotar de infraestructura y movilidad a los nodos de la ciudad"),
    (8, "Participación Social", SOCIAL_VERTIENTE, "desarrollo-social",
     "Fortalecer la participación ciudadana en las decisiones públicas"),
    (9, "Administración Pública", SOCIAL_VERTIENTE, "implan", "Gobierno eficiente, abierto y que rinde cuentas"),
]
# (code, name, family, polarity, unit, source, value 2015, yearly change, strategy number, target 2027)
INDICATORS = [
    ("SUS-01", "Cobertura de agua potable en viviendas", Family.SUSTAINABILITY, Polarity.HIGHER_IS_BETTER, "%",
     "INEGI, Censo y Encuesta Intercensal; SAPAL", "95.1", "0.35", 1, "99.0"),
    ("SUS-02", "Áreas verdes urbanas por habitante", Family.SUSTAINABILITY, Polarity.HIGHER_IS_BETTER, "m²/hab",
     "Dirección General de Medio Ambiente Sustentable", "4.2", "0.15", 1, "7.0"),
    ("SUS-03", "Días con calidad del aire buena o aceptable", Family.SUSTAINABILITY, Polarity.HIGHER_IS_BETTER,
     "días", "SINAICA, Instituto de Ecología del Estado", "210", "4", 1, "270"),
    ("SUS-04", "Residuos sólidos dispuestos en relleno sanitario por habitante", Family.SUSTAINABILITY,
     Polarity.LOWER_IS_BETTER, "kg/hab/día", "SIAP León", "1.02", "0.004", 1, "0.95"),
    ("SUS-05", "Tratamiento de aguas residuales", Family.SUSTAINABILITY, Polarity.HIGHER_IS_BETTER, "%", "SAPAL",
     "78.0", "1.2", 7, "95.0"),
    ("COM-01", "Población económicamente activa ocupada", Family.COMPETITIVENESS, Polarity.HIGHER_IS_BETTER, "%",
     "INEGI, ENOE", "95.4", "0.12", 2, "97.0"),
    ("COM-02", "Empleos formales registrados en el IMSS", Family.COMPETITIVENESS, Polarity.HIGHER_IS_BETTER,
     "personas", "IMSS", "290000", "6500", 2, "380000"),
    ("COM-03", "Tasa de informalidad laboral", Family.COMPETITIVENESS, Polarity.LOWER_IS_BETTER, "%",
     "INEGI, ENOE", "45.0", "-0.4", 2, "38.0"),
    ("COM-04", "Tiempo promedio de traslado al trabajo", Family.COMPETITIVENESS, Polarity.LOWER_IS_BETTER,
     "minutos", "Encuesta origen-destino, IMPLAN", "38", "0.3", 7, "32"),
    ("COM-05", "Unidades económicas por cada mil habitantes", Family.COMPETITIVENESS, Polarity.HIGHER_IS_BETTER,
     "unidades", "INEGI, DENUE", "42.0", "0.5", 2, "50.0"),
    ("CDV-01", "Población con carencia por acceso a los servicios de salud", Family.QUALITY_OF_LIFE,
     Polarity.LOWER_IS_BETTER, "%", "CONEVAL", "18.5", "0.6", 5, "15.0"),
    ("CDV-02", "Tasa de homicidios dolosos por cada 100 mil habitantes", Family.QUALITY_OF_LIFE,
     Polarity.LOWER_IS_BETTER, "por 100 mil hab.", "SESNSP", "21.0", "2.1", 9, "20.0"),
    ("CDV-03", "Grado promedio de escolaridad de la población de 15 años y más", Family.QUALITY_OF_LIFE,
     Polarity.HIGHER_IS_BETTER, "años", "INEGI, Censo", "9.1", "0.08", 3, "10.5"),
    ("CDV-04", "Población en situación de pobreza", Family.QUALITY_OF_LIFE, Polarity.LOWER_IS_BETTER, "%",
     "CONEVAL", "35.2", "-0.5", 6, "28.0"),
    ("CDV-05", "Viviendas con piso de tierra", Family.QUALITY_OF_LIFE, Polarity.LOWER_IS_BETTER, "%",
     "INEGI, Censo", "2.1", "-0.12", 6, "0.8"),
    ("CDV-06", "Asistentes a eventos culturales por cada mil habitantes", Family.QUALITY_OF_LIFE,
     Polarity.HIGHER_IS_BETTER, "asistentes", "Instituto Cultural de León", "310", "9", 4, "450"),
    ("CDV-07", "Participación en la consulta ciudadana de planeación", Family.QUALITY_OF_LIFE,
     Polarity.HIGHER_IS_BETTER, "personas", "IMPLAN", "3200", "120", 8, "6000"),
]
YEARS = range(2015, 2025)
# (code, name, strategy number, agency slug, approved 2025 in MXN)
PROGRAMMES = [
    ("P01", "León Verde: parques y arbolado urbano", 1, "medio-ambiente", "48000000"),
    ("P02", "Agua para Todos", 1, "sapal", "95000000"),
    ("P03", "Empleo y emprendimiento", 2, "desarrollo-economico", "36000000"),
    ("P04", "Escuelas dignas", 3, "educacion", "52000000"),
    ("P05", "Cultura en los barrios", 4, "cultura", "18000000"),
    ("P06", "León Saludable", 5, "salud", "41000000"),
    ("P07", "Deporte comunitario", 5, "deporte", "22000000"),
    ("P08", "Mejoramiento de vivienda", 6, "desarrollo-social", "60000000"),
    ("P09", "Movilidad segura y transporte", 7, "movilidad", "88000000"),
    ("P10", "Pavimentación y alumbrado en colonias", 7, "obra-publica", "120000000"),
    ("P11", "Presupuesto participativo", 8, "desarrollo-social", "30000000"),
    ("P12", "Gobierno abierto y digital", 9, "implan", "14000000"),
    ("P13", "Atención ciudadana 24/7", None, "seguridad", "25000000"),  # an orphan: no strategy yet
]
CHAPTERS = [SpendingChapter.PUBLIC_WORKS, SpendingChapter.SERVICES, SpendingChapter.MATERIALS]
SOURCES = [FundingSource.OWN, FundingSource.FAISM, FundingSource.FEDERAL_PARTICIPATIONS]


def build_plan() -> tuple[StrategicPlan, list[Strategy]]:
    plan, _ = StrategicPlan.objects.get_or_create(
        slug="leon-hacia-el-futuro", version=1,
        defaults={"title": "León hacia el Futuro, Visión 2025", "horizon_year": 2025,
                  "summary": "Plan estratégico de largo plazo del municipio, construido con participación ciudadana."})
    Vision.objects.get_or_create(plan=plan, defaults={
        "horizon_year": 2025,
        "statement": "León es una ciudad sustentable, competitiva e incluyente, con calidad de vida para todas las "
                     "personas y un gobierno cercano que planea con su gente."})
    vertientes = {}
    for order, name in ((1, TERRITORY_VERTIENTE), (2, SOCIAL_VERTIENTE)):
        vertientes[name], _ = Vertiente.objects.get_or_create(plan=plan, order=order, defaults={"name": name})
    strategies = []
    for number, name, vertiente, _agency, objective in STRATEGIES:
        strategy, _ = Strategy.objects.get_or_create(
            plan=plan, number=number,
            defaults={"name": name, "slug": slugify(name), "vertiente": vertientes[vertiente],
                      "description": f"Estrategia {number} del plan: {name}."})
        Objective.objects.get_or_create(strategy=strategy, number=1, defaults={"title": objective})
        strategies.append(strategy)
    return plan, strategies


def _value(base: str, step: str, year: int) -> Decimal:
    wiggle = Decimal((year * 37) % 7 - 3) / 10  # deterministic, small ups and downs
    return (Decimal(base) + Decimal(step) * (year - 2015)) * (1 + wiggle / 100)


def build_indicators(leon: Territory, agencies: dict[str, Agency], strategies: list[Strategy]) -> list[Indicator]:
    indicators = []
    by_number = {s.number: s for s in strategies}
    for code, name, family, polarity, unit, source, base, step, strategy_number, target in INDICATORS:
        indicator, _ = Indicator.objects.get_or_create(
            code=code, defaults={"name": name, "slug": slugify(f"{code} {name}")[:120], "family": family,
                                 "polarity": polarity, "unit": unit, "source": source, "frequency": Frequency.YEARLY,
                                 "definition": f"{name}, para el municipio de León.", "owner": agencies["implan"]})
        for year in YEARS:
            Observation.objects.get_or_create(
                indicator=indicator, territory=leon, period=str(year),
                defaults={"period_start": datetime.date(year, 1, 1), "value": _value(base, step, year).quantize(
                    Decimal("0.01"))})
        objective = by_number[strategy_number].objectives.get(number=1)
        Goal.objects.get_or_create(
            objective=objective, indicator=indicator,
            defaults={"description": f"{name}: {target} {unit} en 2027", "baseline_year": 2015,
                      "baseline_value": Decimal(base), "target_value": Decimal(target), "target_year": 2027})
        indicators.append(indicator)
    return indicators


def build_diagnosis(plan: StrategicPlan, indicators: list[Indicator]) -> Diagnosis:
    diagnosis, _ = Diagnosis.objects.get_or_create(
        plan=plan, version=1, defaults={"title": "Diagnóstico municipal 2024",
                                        "summary": "Situación de León con los indicadores de desarrollo."})
    sections = [("Sustentabilidad", "Agua, aire, áreas verdes y residuos.", "SUS-"),
                ("Competitividad", "Empleo, informalidad, movilidad y unidades económicas.", "COM-"),
                ("Calidad de vida", "Salud, seguridad, escolaridad, pobreza y vivienda.", "CDV-")]
    for order, (title, body, prefix) in enumerate(sections, start=1):
        section, created = DiagnosisSection.objects.get_or_create(diagnosis=diagnosis, order=order,
                                                                  defaults={"title": title, "body": body})
        if created:
            section.indicators.set([i for i in indicators if i.code.startswith(prefix)])
    return diagnosis


def build_programmes(strategies: list[Strategy], agencies: dict[str, Agency]) -> list[Programme]:
    by_number = {s.number: s for s in strategies}
    programmes = []
    for code, name, number, agency, _amount in PROGRAMMES:
        strategy = by_number.get(number)
        programme, _ = Programme.objects.get_or_create(
            code=code, version=1,
            defaults={"name": name, "slug": slugify(name), "strategy": strategy, "agency": agencies[agency],
                      "objective": strategy.objectives.get(number=1) if strategy else None,
                      "description": f"Programa {code}: {name}."})
        programmes.append(programme)
    return programmes


def build_government_plan(term_year: FiscalYear, programmes: list[Programme]) -> GovernmentPlan:
    plan, created = GovernmentPlan.objects.get_or_create(
        administration_term=term_year.administration_term, version=1,
        defaults={"title": "Programa de Gobierno 2024–2027",
                  "summary": "Compromisos de la administración 2024–2027, alineados al plan de largo plazo."})
    if created:
        plan.programmes.set(programmes)
    return plan


def build_budget(year: FiscalYear, programmes: list[Programme], *, scale: Decimal) -> Budget:
    amounts = {code: Decimal(amount) * scale for code, _n, _s, _a, amount in PROGRAMMES}
    ceiling = (sum(amounts.values()) * Decimal("1.05")).quantize(Decimal("1"))
    budget, created = Budget.objects.get_or_create(
        fiscal_year=year, version=1,
        defaults={"title": f"Presupuesto de egresos {year.year}", "ceiling": ceiling})
    if not created:
        return budget
    for index, programme in enumerate(programmes):
        total = amounts[programme.code]
        for part, share in enumerate((Decimal("0.7"), Decimal("0.3"))):
            approved = (total * share).quantize(Decimal("0.01"))
            executed = (approved * Decimal("0.8")).quantize(Decimal("0.01")) if year.year == 2025 else Decimal(0)
            BudgetLine.objects.create(
                budget=budget, programme=programme, agency=programme.agency, chapter=CHAPTERS[(index + part) % 3],
                funding_source=SOURCES[(index + part) % 3], description=f"{programme.name} ({part + 1})",
                approved_amount=approved, modified_amount=approved, executed_amount=executed)
    return budget


def mark_published_without_vote(instrument: object) -> None:
    """Programmes and the diagnosis of the seed count as approved within the plan that contains them."""
    if instrument.state == LifecycleState.DRAFT:
        from django.utils import timezone

        from implan.hashing import content_hash

        instrument.state = LifecycleState.PUBLISHED
        instrument.approved_at = instrument.published_at = timezone.now()
        instrument.content_hash = content_hash(instrument.hashed_content())
        instrument._change_reason = "Datos de demostración: aprobado como parte del plan"
        instrument.save()
