"""The plan "León hacia el Futuro, Visión 2025": vision, vertientes, strategies, diagnosis, programmes."""

from typing import Any

from django.utils.text import slugify

from implan.models import Agency, FiscalYear, LifecycleState
from indicators.models import Indicator
from planning.models import (
    Diagnosis,
    DiagnosisSection,
    GovernmentPlan,
    Objective,
    Programme,
    StrategicPlan,
    Strategy,
    Vertiente,
    Vision,
)

TERRITORY_VERTIENTE = "Ordenamiento sustentable del territorio"
SOCIAL_VERTIENTE = "Desarrollo social y económico"
# (number, name, vertiente, agency slug, objective)
STRATEGIES = [
    (
        1,
        "Desarrollo Sustentable",
        TERRITORY_VERTIENTE,
        "medio-ambiente",
        "Conservar el agua, el aire y las áreas naturales del municipio",
    ),
    (
        2,
        "Rumbo Económico",
        SOCIAL_VERTIENTE,
        "desarrollo-economico",
        "Diversificar la economía y generar empleo formal",
    ),
    (3, "Educación para la Vida", SOCIAL_VERTIENTE, "educacion", "Elevar la escolaridad y la calidad educativa"),
    (4, "Cultura y Valores", SOCIAL_VERTIENTE, "cultura", "Ampliar el acceso a la cultura en todos los barrios"),
    (5, "Salud y Deporte", SOCIAL_VERTIENTE, "salud", "Mejorar la salud y la actividad física de la población"),
    (6, "Hábitat", TERRITORY_VERTIENTE, "desarrollo-social", "Mejorar la vivienda y el entorno de los barrios"),
    (
        7,
        "Infraestructura y Equipamiento Nodal",
        TERRITORY_VERTIENTE,
        "obra-publica",
        "Dotar de infraestructura y movilidad a los nodos de la ciudad",
    ),
    (
        8,
        "Participación Social",
        SOCIAL_VERTIENTE,
        "desarrollo-social",
        "Fortalecer la participación ciudadana en las decisiones públicas",
    ),
    (9, "Administración Pública", SOCIAL_VERTIENTE, "implan", "Gobierno eficiente, abierto y que rinde cuentas"),
]
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


VERTIENTE_TEXT = {
    TERRITORY_VERTIENTE: "Cómo ocupa León su territorio: agua, suelo, áreas naturales, vivienda, movilidad e "
    "infraestructura, para crecer sin agotar lo que sostiene a la ciudad.",
    SOCIAL_VERTIENTE: "Cómo viven, aprenden, trabajan y participan las personas: economía, educación, cultura, salud, "
    "deporte, participación y un gobierno que rinde cuentas.",
}
# What each strategy sets out to do, in the plan's own terms (Markdown).
STRATEGY_TEXT = {
    1: "Cuidar el acuífero, el aire y las áreas naturales del municipio.\n\n- Reducir la extracción de agua del "
    "acuífero del valle de León.\n- Recuperar arbolado y áreas verdes en todas las delegaciones.",
    2: "Diversificar la economía más allá del calzado y la piel, con **empleo formal** y emprendimiento.",
    3: "Elevar la escolaridad y la calidad educativa, con escuelas dignas cerca de cada colonia.",
    4: "Acercar la cultura a todos los barrios y fortalecer la identidad leonesa.",
    5: "Mejorar la salud de la población y su actividad física, con prevención y deporte comunitario.",
    6: "Mejorar la vivienda y el entorno de los barrios, sobre todo en los polígonos de desarrollo.",
    7: "Dotar a los nodos de la ciudad de infraestructura, equipamiento y **movilidad segura**.",
    8: "Que la ciudadanía decida junto con el gobierno: consejos, comisiones y presupuesto participativo.",
    9: "Un gobierno eficiente, abierto y digital que rinde cuentas de lo que planea y gasta.",
}
DIAGNOSIS_TEXT = {
    "Sustentabilidad": "El **acuífero del valle de León** se extrae por encima de su recarga; la cobertura de agua "
    "potable es alta, pero la calidad del aire y las áreas verdes por habitante siguen por debajo "
    "de lo recomendable.\n\n- Agua: cobertura y tratamiento de aguas residuales.\n"
    "- Aire: días con calidad buena o aceptable.\n- Residuos: disposición por habitante.",
    "Competitividad": "La economía depende de la cadena cuero-calzado; el empleo formal crece despacio y la "
    "**informalidad** ronda cuatro de cada diez ocupados. Los traslados al trabajo son largos.",
    "Calidad de vida": "La escolaridad promedio y el acceso a la salud mejoran, pero persisten rezagos en los "
    "polígonos de desarrollo: vivienda con piso de tierra, carencias de salud e inseguridad.",
}


def build_plan() -> tuple[StrategicPlan, list[Strategy]]:
    plan, _ = StrategicPlan.objects.get_or_create(
        slug="leon-hacia-el-futuro",
        version=1,
        defaults={
            "title": "León hacia el Futuro, Visión 2025",
            "horizon_year": 2025,
            "summary": "Plan estratégico de largo plazo del municipio, construido con participación ciudadana.",
        },
    )
    Vision.objects.get_or_create(
        plan=plan,
        defaults={
            "horizon_year": 2025,
            "statement": "León es una ciudad sustentable, competitiva e incluyente, con calidad de vida para todas las "
            "personas y un gobierno cercano que planea con su gente.",
        },
    )
    vertientes = {}
    for order, name in ((1, TERRITORY_VERTIENTE), (2, SOCIAL_VERTIENTE)):
        vertientes[name], _ = Vertiente.objects.get_or_create(
            plan=plan, order=order, defaults={"name": name, "description": VERTIENTE_TEXT[name]}
        )
    strategies = []
    for number, name, vertiente, _agency, objective in STRATEGIES:
        strategy, _ = Strategy.objects.get_or_create(
            plan=plan,
            number=number,
            defaults={
                "name": name,
                "slug": slugify(name),
                "vertiente": vertientes[vertiente],
                "description": STRATEGY_TEXT[number],
            },
        )
        Objective.objects.get_or_create(strategy=strategy, number=1, defaults={"title": objective})
        strategies.append(strategy)
    return plan, strategies


def build_diagnosis(plan: StrategicPlan, indicators: list[Indicator]) -> Diagnosis:
    diagnosis, _ = Diagnosis.objects.get_or_create(
        plan=plan,
        version=1,
        defaults={
            "title": "Diagnóstico municipal 2024",
            "summary": "Situación de León con los indicadores de desarrollo.",
        },
    )
    sections = [
        ("Sustentabilidad", "Agua, aire, áreas verdes y residuos.", "SUS-"),
        ("Competitividad", "Empleo, informalidad, movilidad y unidades económicas.", "COM-"),
        ("Calidad de vida", "Salud, seguridad, escolaridad, pobreza y vivienda.", "CDV-"),
    ]
    for order, (title, body, prefix) in enumerate(sections, start=1):
        section, created = DiagnosisSection.objects.get_or_create(
            diagnosis=diagnosis, order=order, defaults={"title": title, "body": DIAGNOSIS_TEXT.get(title, body)}
        )
        if created:
            section.indicators.set([i for i in indicators if i.code.startswith(prefix)])
    return diagnosis


def build_programmes(strategies: list[Strategy], agencies: dict[str, Agency]) -> list[Programme]:
    by_number: dict[int | None, Strategy] = {s.number: s for s in strategies}
    programmes = []
    for code, name, number, agency, _amount in PROGRAMMES:
        strategy = by_number.get(number)
        programme, _ = Programme.objects.get_or_create(
            code=code,
            version=1,
            defaults={
                "name": name,
                "slug": slugify(name),
                "strategy": strategy,
                "agency": agencies[agency],
                "objective": strategy.objectives.get(number=1) if strategy else None,
                "description": f"Programa {code}: {name}.",
            },
        )
        programmes.append(programme)
    _commission_proposal(by_number[1], agencies)
    return programmes


def _commission_proposal(strategy: Strategy, agencies: dict[str, Agency]) -> Programme:
    """A programme the strategy's commission is drafting (not yet submitted): something to edit in the workspace."""
    programme, created = Programme.objects.get_or_create(
        code="P14",
        version=1,
        defaults={
            "name": "Huertos urbanos comunitarios",
            "slug": "huertos-urbanos-comunitarios",
            "strategy": strategy,
            "objective": strategy.objectives.get(number=1),
            "agency": agencies["medio-ambiente"],
            "description": "Propuesta de la comisión a partir de las mesas de participación ciudadana:\n\n"
            "- Huertos en predios municipales baldíos.\n- Riego con agua tratada.\n"
            "- Talleres con escuelas y vecinos.",
        },
    )
    return programme


def build_government_plan(term_year: FiscalYear, programmes: list[Programme]) -> GovernmentPlan:
    plan, created = GovernmentPlan.objects.get_or_create(
        administration_term=term_year.administration_term,
        version=1,
        defaults={
            "title": "Programa de Gobierno 2024–2027",
            "summary": "Compromisos de la administración 2024–2027, alineados al plan de largo plazo.",
        },
    )
    if created:
        plan.programmes.set(programmes)
    return plan


def mark_published_without_vote(instrument: Any) -> None:
    """Programmes and the diagnosis of the seed count as approved within the plan that contains them."""
    if instrument.state == LifecycleState.DRAFT:
        from django.utils import timezone

        from implan.hashing import content_hash

        instrument.state = LifecycleState.PUBLISHED
        instrument.approved_at = instrument.published_at = timezone.now()
        instrument.content_hash = content_hash(instrument.hashed_content())
        instrument._change_reason = "Datos de demostración: aprobado como parte del plan"
        instrument.save()
