"""The MIR of the demo programme «Agua para Todos» (P02): Fin, Propósito, two Componentes with an Actividad each,
each row measured by an indicator of the catalogue with its baseline and annual targets. The management indicators
it adds carry a few years of illustrative values (not SAPAL's figures) so the traffic lights have something to
judge. Idempotent, like the rest of the demo."""

from __future__ import annotations

import datetime
from decimal import Decimal

from django.utils.text import slugify

from implan.models import Agency, Territory
from implan.portal.demo.upsert import upsert
from indicators.models import Family, Frequency, Indicator, Observation, Polarity
from planning.models import Programme
from planning.models.mir import MirDimension, MirIndicator, MirIndicatorVariable, MirLevel, MirRow

VERIFICATION = "Informe trimestral de SAPAL al Ayuntamiento; registro de obras y de contratos de SAPAL."

# code, name, unit, formula, {year: value}
NEW_INDICATORS = [
    (
        "AGU-01",
        "Hogares con servicio continuo de agua potable",
        "%",
        "HC / HT × 100; HC: hogares con agua las 24 horas todos los días; HT: hogares con toma de SAPAL",
        {2022: "78.0", 2023: "80.5", 2024: "84.1"},
    ),
    (
        "AGU-02",
        "Red de agua potable rehabilitada (acumulado desde 2023)",
        "km",
        "Σ KR; KR: kilómetros de tubería rehabilitados y recibidos por SAPAL en cada año desde el 1 de enero de 2023",
        {2023: "35.0", 2024: "61.5"},
    ),
    (
        "AGU-03",
        "Tomas domiciliarias nuevas instaladas en el año",
        "tomas",
        "TN; TN: tomas domiciliarias instaladas y conectadas en asentamientos regularizados durante el año",
        {2023: "1500", 2024: "1380"},
    ),
    (
        "AGU-04",
        "Obras de rehabilitación contratadas en el plazo programado",
        "%",
        "OC / OP × 100; OC: obras contratadas en el trimestre programado; OP: obras programadas",
        {2023: "60.0", 2024: "71.0"},
    ),
    (
        "AGU-05",
        "Solicitudes de toma atendidas en 30 días o menos",
        "%",
        "SA / SR × 100; SA: solicitudes atendidas en 30 días naturales o menos; SR: solicitudes recibidas",
        {2023: "65.0", 2024: "72.5"},
    ),
]

SAPAL_RECORDS = "Registros administrativos de SAPAL (informe trimestral al Ayuntamiento)"

# The variables of each indicator's método de cálculo (its ficha técnica in the MIR): symbol, description, unit,
# medio de verificación. Each symbol appears in the indicator's formula.
VARIABLES = {
    "SUS-01": [
        (
            "VA",
            "Viviendas particulares habitadas con agua entubada",
            "viviendas",
            "INEGI, Censo de Población y Vivienda",
        ),
        ("VH", "Viviendas particulares habitadas", "viviendas", "INEGI, Censo de Población y Vivienda"),
    ],
    "AGU-01": [
        ("HC", "Hogares con agua las 24 horas todos los días", "hogares", SAPAL_RECORDS),
        ("HT", "Hogares con toma de SAPAL", "hogares", "Padrón de usuarios de SAPAL"),
    ],
    "AGU-02": [("KR", "Kilómetros de tubería rehabilitados y recibidos en el año", "km", "Registro de obras de SAPAL")],
    "AGU-03": [("TN", "Tomas domiciliarias nuevas instaladas y conectadas", "tomas", "Registro de contratos de SAPAL")],
    "AGU-04": [
        ("OC", "Obras contratadas en el trimestre programado", "obras", "Registro de contratos de SAPAL"),
        ("OP", "Obras programadas", "obras", "Programa anual de obra de SAPAL"),
    ],
    "AGU-05": [
        ("SA", "Solicitudes de toma atendidas en 30 días naturales o menos", "solicitudes", SAPAL_RECORDS),
        ("SR", "Solicitudes de toma recibidas", "solicitudes", SAPAL_RECORDS),
    ],
}

# level, order, parent componente's order, summary, assumptions, indicator code, dimension, baseline, targets
ROWS = [
    (
        MirLevel.FIN,
        1,
        None,
        "Contribuir a que todas las personas de León tengan agua potable suficiente y segura mediante la "
        "ampliación y rehabilitación de la red de SAPAL.",
        "El acuífero del Valle de León se mantiene como fuente y el acueducto complementario opera.",
        "SUS-01",
        MirDimension.EFFICACY,
        ("97.90", 2023),
        {"2025": "98.6", "2027": "99.0"},
    ),
    (
        MirLevel.PROPOSITO,
        1,
        None,
        "Los hogares de las colonias con rezago reciben agua potable todos los días.",
        "Los hogares conectan sus instalaciones interiores a la red rehabilitada.",
        "AGU-01",
        MirDimension.EFFICACY,
        ("80.5", 2023),
        {"2025": "86", "2026": "89", "2027": "92"},
    ),
    (
        MirLevel.COMPONENTE,
        1,
        None,
        "Red de agua potable rehabilitada en las colonias con más fugas.",
        "Las colonias permiten los cortes de calle programados para las obras.",
        "AGU-02",
        MirDimension.EFFICACY,
        ("35", 2023),
        {"2025": "90", "2026": "120", "2027": "150"},
    ),
    (
        MirLevel.COMPONENTE,
        2,
        None,
        "Tomas domiciliarias instaladas en asentamientos regularizados.",
        "La regularización de los asentamientos avanza al ritmo previsto por el municipio.",
        "AGU-03",
        MirDimension.EFFICACY,
        ("1500", 2023),
        {"2025": "2000", "2027": "2500"},
    ),
    (
        MirLevel.ACTIVIDAD,
        1,
        1,
        "Licitación y contratación de las obras de rehabilitación en el plazo programado.",
        "Hay empresas que participan en las licitaciones.",
        "AGU-04",
        MirDimension.EFFICIENCY,
        ("60", 2023),
        {"2025": "85", "2027": "90"},
    ),
    (
        MirLevel.ACTIVIDAD,
        1,
        2,
        "Atención de las solicitudes de nuevas tomas en 30 días o menos.",
        "Las personas solicitantes entregan completos los documentos de propiedad.",
        "AGU-05",
        MirDimension.QUALITY,
        ("65", 2023),
        {"2025": "80", "2027": "90"},
    ),
]


def _indicators(leon: Territory, owner: Agency | None) -> None:
    for code, name, unit, formula, values in NEW_INDICATORS:
        indicator, _ = upsert(
            Indicator,
            code=code,
            defaults={
                "name": name,
                "slug": slugify(f"{code} {name}")[:120],
                "family": Family.QUALITY_OF_LIFE,
                "polarity": Polarity.HIGHER_IS_BETTER,
                "unit": unit,
                "formula": formula,
                "source": "SAPAL, registros administrativos (cifras ilustrativas de la demostración)",
                "frequency": Frequency.YEARLY,
                "definition": f"{name}, en el municipio de León.",
                "owner": owner,
            },
        )
        for year, value in values.items():
            Observation.objects.get_or_create(
                indicator=indicator,
                territory=leon,
                period=str(year),
                defaults={"period_start": datetime.date(year, 1, 1), "value": Decimal(value)},
            )
    upsert(
        Indicator,
        code="SUS-01",
        defaults={"formula": "VA / VH × 100; VA: viviendas con agua entubada; VH: viviendas particulares habitadas"},
    )


def build_mir(programmes: list[Programme], leon: Territory, agencies: dict[str, Agency]) -> None:
    """A complete MIR for «Agua para Todos», before the seed marks its programmes published."""
    programme = next((p for p in programmes if p.code == "P02"), None)
    if programme is None or programme.mir_rows.exists():
        return
    _indicators(leon, agencies.get("sapal"))
    componentes: dict[int, MirRow] = {}
    for level, order, parent, summary, assumptions, code, dimension, baseline, targets in ROWS:
        row = MirRow.objects.create(
            programme=programme,
            level=level,
            order=order,
            parent=componentes.get(parent) if parent else None,
            summary=summary,
            verification=VERIFICATION,
            assumptions=assumptions,
        )
        if level == MirLevel.COMPONENTE:
            componentes[order] = row
        link = MirIndicator.objects.create(
            row=row,
            indicator=Indicator.objects.get(code=code),
            dimension=dimension,
            baseline_value=Decimal(baseline[0]),
            baseline_year=baseline[1],
            targets=targets,
        )
        for order, (symbol, description, unit, source) in enumerate(VARIABLES[code], start=1):
            MirIndicatorVariable.objects.create(
                link=link, order=order, symbol=symbol, description=description, unit=unit, source=source
            )
