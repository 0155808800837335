"""León's development indicators of the demo: definitions, yearly observations 2015–2024, and the goal each serves."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

from implan.models import Agency, Territory, TerritoryKind
from implan.portal.demo.catalog import DATA
from implan.portal.demo.upsert import upsert
from indicators.models import (
    Category,
    Dimension,
    Family,
    Frequency,
    Indicator,
    Observation,
    ObservationStatus,
    Polarity,
    RatePer,
    SdgCode,
)
from indicators.rates import rate_recompute
from indicators.sdg import load_catalogue
from planning.models import Goal, Strategy

# (code, name, family, polarity, unit, source, value 2015, yearly change, strategy number, target 2027)
INDICATORS = [
    (
        "SUS-01",
        "Cobertura de agua potable en viviendas",
        Family.SUSTAINABILITY,
        Polarity.HIGHER_IS_BETTER,
        "%",
        "INEGI, Censo y Encuesta Intercensal; SAPAL",
        "95.1",
        "0.35",
        1,
        "99.0",
    ),
    (
        "SUS-02",
        "Áreas verdes urbanas por habitante",
        Family.SUSTAINABILITY,
        Polarity.HIGHER_IS_BETTER,
        "m²/hab",
        "Dirección General de Medio Ambiente Sustentable",
        "4.2",
        "0.15",
        1,
        "7.0",
    ),
    (
        "SUS-03",
        "Días con calidad del aire buena o aceptable",
        Family.SUSTAINABILITY,
        Polarity.HIGHER_IS_BETTER,
        "días",
        "SINAICA, Instituto de Ecología del Estado",
        "210",
        "4",
        1,
        "270",
    ),
    (
        "SUS-04",
        "Residuos sólidos dispuestos en relleno sanitario por habitante",
        Family.SUSTAINABILITY,
        Polarity.LOWER_IS_BETTER,
        "kg/hab/día",
        "SIAP León",
        "1.02",
        "0.004",
        1,
        "0.95",
    ),
    (
        "SUS-05",
        "Tratamiento de aguas residuales",
        Family.SUSTAINABILITY,
        Polarity.HIGHER_IS_BETTER,
        "%",
        "SAPAL",
        "78.0",
        "1.2",
        7,
        "95.0",
    ),
    (
        "COM-01",
        "Población económicamente activa ocupada",
        Family.COMPETITIVENESS,
        Polarity.HIGHER_IS_BETTER,
        "%",
        "INEGI, ENOE",
        "95.4",
        "0.12",
        2,
        "97.0",
    ),
    (
        "COM-02",
        "Empleos formales registrados en el IMSS",
        Family.COMPETITIVENESS,
        Polarity.HIGHER_IS_BETTER,
        "personas",
        "IMSS",
        "290000",
        "6500",
        2,
        "380000",
    ),
    (
        "COM-03",
        "Tasa de informalidad laboral",
        Family.COMPETITIVENESS,
        Polarity.LOWER_IS_BETTER,
        "%",
        "INEGI, ENOE",
        "45.0",
        "-0.4",
        2,
        "38.0",
    ),
    (
        "COM-04",
        "Tiempo promedio de traslado al trabajo",
        Family.COMPETITIVENESS,
        Polarity.LOWER_IS_BETTER,
        "minutos",
        "Encuesta origen-destino, IMPLAN",
        "38",
        "0.3",
        7,
        "32",
    ),
    (
        "COM-05",
        "Unidades económicas por cada mil habitantes",
        Family.COMPETITIVENESS,
        Polarity.HIGHER_IS_BETTER,
        "unidades",
        "INEGI, DENUE",
        "42.0",
        "0.5",
        2,
        "50.0",
    ),
    (
        "CDV-01",
        "Población con carencia por acceso a los servicios de salud",
        Family.QUALITY_OF_LIFE,
        Polarity.LOWER_IS_BETTER,
        "%",
        "CONEVAL",
        "18.5",
        "0.6",
        5,
        "15.0",
    ),
    (
        "CDV-02",
        "Tasa de homicidios dolosos por cada 100 mil habitantes",
        Family.QUALITY_OF_LIFE,
        Polarity.LOWER_IS_BETTER,
        "por 100 mil hab.",
        "SESNSP",
        "21.0",
        "2.1",
        9,
        "20.0",
    ),
    (
        "CDV-03",
        "Grado promedio de escolaridad de la población de 15 años y más",
        Family.QUALITY_OF_LIFE,
        Polarity.HIGHER_IS_BETTER,
        "años",
        "INEGI, Censo",
        "9.1",
        "0.08",
        3,
        "10.5",
    ),
    (
        "CDV-04",
        "Población en situación de pobreza",
        Family.QUALITY_OF_LIFE,
        Polarity.LOWER_IS_BETTER,
        "%",
        "CONEVAL",
        "35.2",
        "-0.5",
        6,
        "28.0",
    ),
    (
        "CDV-05",
        "Viviendas con piso de tierra",
        Family.QUALITY_OF_LIFE,
        Polarity.LOWER_IS_BETTER,
        "%",
        "INEGI, Censo",
        "2.1",
        "-0.12",
        6,
        "0.8",
    ),
    (
        "CDV-06",
        "Asistentes a eventos culturales por cada mil habitantes",
        Family.QUALITY_OF_LIFE,
        Polarity.HIGHER_IS_BETTER,
        "asistentes",
        "Instituto Cultural de León",
        "310",
        "9",
        4,
        "450",
    ),
    (
        "CDV-07",
        "Participación en la consulta ciudadana de planeación",
        Family.QUALITY_OF_LIFE,
        Polarity.HIGHER_IS_BETTER,
        "personas",
        "IMPLAN",
        "3200",
        "120",
        8,
        "6000",
    ),
]
YEARS = range(2015, 2025)

# Theme and official SDG codes of each indicator (UN global indicator framework, 2023).
ALIGNMENT = {
    "SUS-01": ("Agua", ["6", "6.1", "6.1.1"]),
    "SUS-02": ("Medio ambiente", ["11", "11.7", "11.7.1"]),
    "SUS-03": ("Medio ambiente", ["11.6", "11.6.2", "3.9.1"]),
    "SUS-04": ("Residuos", ["11.6.1", "12.5"]),
    "SUS-05": ("Agua", ["6.3", "6.3.1"]),
    "COM-01": ("Empleo", ["8", "8.5", "8.5.2"]),
    "COM-02": ("Empleo", ["8.3", "8.5"]),
    "COM-03": ("Empleo", ["8.3.1"]),
    "COM-04": ("Movilidad", ["11.2", "11.2.1"]),
    "COM-05": ("Economía", ["8.3", "9.3"]),
    "CDV-01": ("Salud", ["3", "3.8", "3.8.1"]),
    "CDV-02": ("Seguridad", ["16", "16.1", "16.1.1"]),
    "CDV-03": ("Educación", ["4", "4.1"]),
    "CDV-04": ("Pobreza", ["1", "1.2", "1.2.2"]),
    "CDV-05": ("Vivienda", ["11.1", "11.1.1"]),
    "CDV-06": ("Cultura", ["11.4"]),
    "CDV-07": ("Participación", ["16.7", "16.7.2"]),
}
# Indicators the institute also measures by urban delegación (2020 census and 2024 update), and how far each
# delegación sits from the municipal value (deterministic spread, for a realistic comparison).
BY_DELEGACION = ["SUS-01", "SUS-02", "COM-04", "CDV-02", "CDV-05"]
DELEGACION_YEARS = [2020, 2024]
SPREAD = [Decimal(x) for x in ("0.82", "0.91", "0.97", "1.03", "1.08", "1.15", "1.21")]


def _value(base: str, step: str, year: int) -> Decimal:
    wiggle = Decimal((year * 37) % 7 - 3) / 10  # deterministic, small ups and downs
    return (Decimal(base) + Decimal(step) * (year - 2015)) * (1 + wiggle / 100)


def _align(indicator: Indicator, theme: str, sdg: list[str]) -> None:
    """Theme and SDG codes, written only when missing so a second run records no history."""
    upsert(Indicator, code=indicator.code, defaults={"theme": theme})
    missing = set(sdg) - set(indicator.sdg_codes.values_list("code", flat=True))
    if missing:
        indicator.sdg_codes.add(*SdgCode.objects.filter(code__in=missing))


def _by_delegacion(indicator: Indicator, leon: Territory, base: str, step: str) -> None:
    delegaciones = list(Territory.objects.filter(kind=TerritoryKind.DELEGACION, parent=leon).order_by("name"))
    for index, delegacion in enumerate(delegaciones):
        factor = SPREAD[(index * 3 + len(indicator.code)) % len(SPREAD)]
        for year in DELEGACION_YEARS:
            value = (_value(base, step, year) * factor).quantize(Decimal("0.01"))
            Observation.objects.get_or_create(
                indicator=indicator,
                territory=delegacion,
                period=str(year),
                defaults={
                    "period_start": datetime.date(year, 1, 1),
                    "value": value,
                    "status": ObservationStatus.PRELIMINARY if year == 2024 else ObservationStatus.FINAL,
                    "note": "Estimación del IMPLAN con base en el Censo 2020" if year == 2020 else "",
                },
            )


def build_indicators(leon: Territory, agencies: dict[str, Agency], strategies: list[Strategy]) -> list[Indicator]:
    load_catalogue(SdgCode)  # the UN list (also loaded by migration 0003; a flushed database needs it again)
    indicators = []
    by_number = {s.number: s for s in strategies}
    for code, name, family, polarity, unit, source, base, step, strategy_number, target in INDICATORS:
        indicator, _ = Indicator.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "slug": slugify(f"{code} {name}")[:120],
                "family": family,
                "polarity": polarity,
                "unit": unit,
                "source": source,
                "frequency": Frequency.YEARLY,
                "definition": f"{name}, para el municipio de León.",
                "owner": agencies["implan"],
            },
        )
        for year in YEARS:
            Observation.objects.get_or_create(
                indicator=indicator,
                territory=leon,
                period=str(year),
                defaults={
                    "period_start": datetime.date(year, 1, 1),
                    "value": _value(base, step, year).quantize(Decimal("0.01")),
                },
            )
        _align(indicator, *ALIGNMENT[code])
        if code in BY_DELEGACION:
            _by_delegacion(indicator, leon, base, step)
        objective = by_number[strategy_number].objectives.get(number=1)
        Goal.objects.get_or_create(
            objective=objective,
            indicator=indicator,
            defaults={
                "description": f"{name}: {target} {unit} en 2027",
                "baseline_year": 2015,
                "baseline_value": Decimal(base),
                "target_value": Decimal(target),
                "target_year": 2027,
            },
        )
        indicators.append(indicator)
    build_structured_indicators(leon, agencies["implan"])
    return indicators


# --- Observations with structure (issue 17) ----------------------------------------------------------------------

CENSUS = Path(__file__).resolve().parents[3] / "indicators" / "data" / "inegi" / "municipios_guanajuato_2020.csv"
# Demo counts of crimes recorded in León (not official figures); 2021 is «sin dato» to show a gap.
CRIMES = {2019: "41250", 2020: "38904", 2021: None, 2022: "40117", 2023: "39560"}


def _census_leon() -> dict[str, str]:
    with CENSUS.open(encoding="utf-8") as file:
        return next(row for row in csv.DictReader(file) if row["cve_completa"] == "11020")


CENSUS_COLUMNS = [
    ("", "poblacion_total"),
    ("sexo=mujeres", "poblacion_femenina"),
    ("sexo=hombres", "poblacion_masculina"),
]


def _population_beside_leon(population: Indicator) -> None:
    """The same census for México, Guanajuato and Guanajuato's other municipalities (the state and the country as sums
    of INEGI's municipal catalogue, as their territories' population), so that the comparison page has León's
    neighbours beside it."""
    with (DATA / "inegi_municipios_2020.csv").open(encoding="utf-8") as file:
        rows = list(csv.DictReader(file))
    state = [r for r in rows if r["cve_entidad"] == "11"]
    values = {
        code: {key: sum(int(r[column]) for r in part) for key, column in CENSUS_COLUMNS}
        for code, part in [("00", rows), ("11", state)]
    }
    for row in state:
        if row["cve_completa"] != "11020":
            values[row["cve_completa"]] = {key: int(row[column]) for key, column in CENSUS_COLUMNS}
    territories = Territory.objects.in_bulk(list(values), field_name="code")
    for code, by_key in values.items():
        if code not in territories:
            continue
        for key, value in by_key.items():
            Observation.objects.get_or_create(
                indicator=population,
                territory=territories[code],
                period="2020",
                breakdown=key,
                defaults={"period_start": datetime.date(2020, 1, 1), "value": Decimal(value)},
            )


def build_structured_indicators(leon: Territory, agency: Agency) -> list[Indicator]:
    """León's population by sex from the 2020 census (INEGI), a count of crimes with one missing year and one
    preliminary year, and the crime rate per 100,000 inhabitants the portal computes from the two."""
    census = _census_leon()
    common = {"family": Family.QUALITY_OF_LIFE, "frequency": Frequency.YEARLY, "owner": agency}
    population, _ = Indicator.objects.get_or_create(
        code="POB-01",
        defaults={
            **common,
            "name": "Población total",
            "slug": "pob-01-poblacion-total",
            "polarity": Polarity.HIGHER_IS_BETTER,
            "unit": "personas",
            "source": "INEGI, Censo de Población y Vivienda 2020",
            "definition": "Personas que residen habitualmente en el municipio, en total y por sexo.",
        },
    )
    sex, _ = Dimension.objects.get_or_create(indicator=population, slug="sexo", defaults={"name": "sexo", "order": 1})
    for order, (slug, label) in enumerate([("mujeres", "Mujeres"), ("hombres", "Hombres")], start=1):
        Category.objects.get_or_create(dimension=sex, slug=slug, defaults={"label": label, "order": order})
    for key, column in CENSUS_COLUMNS:
        Observation.objects.get_or_create(
            indicator=population,
            territory=leon,
            period="2020",
            breakdown=key,
            defaults={"period_start": datetime.date(2020, 1, 1), "value": Decimal(census[column])},
        )
    _population_beside_leon(population)
    crimes, _ = Indicator.objects.get_or_create(
        code="SEG-01",
        defaults={
            **common,
            "name": "Delitos registrados",
            "slug": "seg-01-delitos-registrados",
            "polarity": Polarity.LOWER_IS_BETTER,
            "unit": "delitos",
            "source": "Demostración (cifras ilustrativas, no oficiales)",
            "definition": "Delitos del fuero común registrados en el municipio en el año.",
        },
    )
    for year, value in CRIMES.items():
        Observation.objects.get_or_create(
            indicator=crimes,
            territory=leon,
            period=str(year),
            defaults={
                "period_start": datetime.date(year, 1, 1),
                "value": Decimal(value) if value else None,
                "missing_reason": "" if value else "La fuente no publicó el dato del año",
                "status": ObservationStatus.PRELIMINARY if year == 2023 else ObservationStatus.FINAL,
            },
        )
    rate, _ = Indicator.objects.get_or_create(
        code="SEG-02",
        defaults={
            **common,
            "name": "Tasa de delitos por cada 100,000 habitantes",
            "slug": "seg-02-tasa-de-delitos",
            "polarity": Polarity.LOWER_IS_BETTER,
            "unit": "delitos por cada 100,000 habitantes",
            "source": "Calculada por el portal: SEG-01 entre POB-01",
            "definition": "Delitos registrados por cada 100,000 habitantes.",
            "rate_numerator": crimes,
            "rate_denominator": population,
            "rate_per": RatePer.HUNDRED_THOUSAND,
        },
    )
    rate_recompute(rate=rate)
    return [population, crimes, rate]
