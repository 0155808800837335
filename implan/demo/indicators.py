"""León's development indicators of the demo: definitions, yearly observations 2015–2024, and the goal each serves."""

import datetime
from decimal import Decimal

from django.utils.text import slugify

from implan.models import Agency, Territory
from indicators.models import Family, Frequency, Indicator, Observation, Polarity
from planning.models import Goal, Strategy

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
