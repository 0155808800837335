"""Territories from INEGI's localities and the 2022 delegaciones, agencies, administration terms, fiscal years."""

import csv
import datetime
from decimal import Decimal
from pathlib import Path

from django.utils.text import slugify

from implan.models import AdministrationTerm, Agency, AreaType, FiscalYear, Territory, TerritoryKind
from implan.portal.demo.upsert import upsert

DATA = Path(__file__).resolve().parent / "data"

# Representative points of the 2022 urban delegaciones (approximate, for the demo map).
DELEGACION_POINTS = {
    "Coecillo": ("21.1160", "-101.6660"),
    "San Miguel": ("21.1180", "-101.6960"),
    "San Juan Bosco": ("21.1290", "-101.7000"),
    "Las Joyas": ("21.0880", "-101.7240"),
    "Cerrito de Jerez": ("21.0950", "-101.6450"),
    "El Carmen": ("21.1560", "-101.6520"),
    "Cerro Gordo": ("21.1560", "-101.7050"),
}

# INEGI's official names of the localities whose accents the source file (leon_localidades_1000plus_2020.csv) lost;
# no accented copy of that file is at hand offline. The cabecera's name agrees with INEGI's municipal catalogue
# (nom_cabecera of León, 11020). Names not listed have no accent. A test checks every key is still in the file.
ACCENTED_LOCALITY_NAMES = {
    "Leon de los Aldama": "León de los Aldama",
    "Capellania de Loera": "Capellanía de Loera",
    "Hacienda Arriba (San Jose de la Concepcion)": "Hacienda Arriba (San José de la Concepción)",
    "Los Ramirez": "Los Ramírez",
    "San Jose del Resplandor (El Capricho)": "San José del Resplandor (El Capricho)",
    "San Francisco de Duran (San Agustin del Mirasol)": "San Francisco de Durán (San Agustín del Mirasol)",
    "Plan Guanajuato (La Sandia)": "Plan Guanajuato (La Sandía)",
    "San Jose de Duran (Los Troncoso)": "San José de Durán (Los Troncoso)",
    "Rancho San Jose de los Sapos": "Rancho San José de los Sapos",
    "San Jose del Potrero": "San José del Potrero",
    "San Nicolas de los Gonzalez": "San Nicolás de los González",
    "alvaro Obregon (Santa Ana del Conde)": "Álvaro Obregón (Santa Ana del Conde)",
    "Vaquerias": "Vaquerías",
    "Arboledas de los Lopez Primera Seccion": "Arboledas de los López Primera Sección",
}

AGENCIES = [
    ("obra-publica", "Dirección General de Obra Pública", "DGOP"),
    ("desarrollo-social", "Dirección General de Desarrollo Social y Humano", "DGDSH"),
    ("desarrollo-economico", "Dirección General de Desarrollo Económico", "DGDE"),
    ("medio-ambiente", "Dirección General de Medio Ambiente Sustentable", "DGMAS"),
    ("movilidad", "Dirección General de Movilidad", "DGM"),
    ("educacion", "Dirección General de Educación", "DGE"),
    ("salud", "Dirección General de Salud", "DGS"),
    ("seguridad", "Secretaría de Seguridad, Prevención y Protección Ciudadana", "SSPPC"),
    ("sapal", "Sistema de Agua Potable y Alcantarillado de León", "SAPAL"),
    ("implan", "Instituto Municipal de Planeación", "IMPLAN"),
    ("cultura", "Instituto Cultural de León", "ICL"),
    ("deporte", "Comisión Municipal de Cultura Física y Deporte", "COMUDE"),
]


CENSUS_2020 = "INEGI, Censo de Población y Vivienda 2020"


def build_territories() -> Territory:
    # León first: the portal's municipality is the first one recorded (Territory.objects.home_municipality()).
    leon, _ = upsert(
        Territory,
        code="11020",
        defaults={
            "name": "León",
            "kind": TerritoryKind.MUNICIPIO,
            "inegi_code": "11020",
            "cve_ent": "11",
            "cve_mun": "020",
            "area_type": AreaType.MIXED,
            "latitude": Decimal("21.122000"),
            "longitude": Decimal("-101.684000"),
            "population": 1721215,
            "population_year": 2020,
            "population_source": CENSUS_2020,
        },
    )
    guanajuato = build_state_and_country()
    if leon.parent_id != guanajuato.pk:
        leon.parent = guanajuato
        leon.save(update_fields=["parent"])
    build_guanajuato_municipalities(guanajuato)
    with open(DATA / "leon_delegaciones_urbanas_2022.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            lat, lon = DELEGACION_POINTS[row["delegacion"]]
            upsert(
                Territory,
                code=f"delegacion-{slugify(row['delegacion'])}",
                defaults={
                    "name": f"Delegación {row['delegacion']}",
                    "kind": TerritoryKind.DELEGACION,
                    "parent": leon,
                    "area_type": AreaType.URBAN,
                    "latitude": Decimal(lat),
                    "longitude": Decimal(lon),
                },
            )
    with open(DATA / "leon_localidades_1000plus_2020.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            urban = row["ambito"] == "U"
            upsert(
                Territory,
                code=row["cvegeo"],
                defaults={
                    "name": locality_name(row["nom_localidad"]),
                    "kind": TerritoryKind.LOCALIDAD,
                    "inegi_code": row["cvegeo"],
                    "cve_ent": row["cve_entidad"],
                    "cve_mun": row["cve_municipio"],
                    "cve_loc": row["cve_localidad"],
                    "parent": leon,
                    "area_type": AreaType.URBAN if urban else AreaType.RURAL,
                    "latitude": Decimal(row["latitud"]),
                    "longitude": Decimal(row["longitud"]),
                    "population": int(row["poblacion_total"]),
                    "population_year": 2020,
                    "population_source": CENSUS_2020,
                },
            )
    return leon


def build_state_and_country() -> Territory:
    """Mexico and Guanajuato, with their Census 2020 population (sums of INEGI's municipal catalogue)."""
    with open(DATA / "inegi_municipios_2020.csv", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    mexico, _ = upsert(
        Territory,
        code="00",
        defaults={
            "name": "México",
            "kind": TerritoryKind.PAIS,
            "inegi_code": "00",
            "area_type": AreaType.MIXED,
            "population": sum(int(r["poblacion_total"]) for r in rows),
            "population_year": 2020,
            "population_source": CENSUS_2020,
        },
    )
    guanajuato, _ = upsert(
        Territory,
        code="11",
        defaults={
            "name": "Guanajuato",
            "kind": TerritoryKind.ENTIDAD,
            "inegi_code": "11",
            "cve_ent": "11",
            "parent": mexico,
            "area_type": AreaType.MIXED,
            "population": sum(int(r["poblacion_total"]) for r in rows if r["cve_entidad"] == "11"),
            "population_year": 2020,
            "population_source": CENSUS_2020,
        },
    )
    return guanajuato


def build_guanajuato_municipalities(guanajuato: Territory) -> None:
    """Guanajuato's 46 municipalities with their INEGI keys, for comparisons beside León."""
    with open(DATA / "inegi_municipios_2020.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["cve_entidad"] != "11" or row["cve_completa"] == "11020":
                continue
            upsert(
                Territory,
                code=row["cve_completa"],
                defaults={
                    "name": row["nom_municipio"],
                    "kind": TerritoryKind.MUNICIPIO,
                    "inegi_code": row["cve_completa"],
                    "cve_ent": "11",
                    "cve_mun": row["cve_municipio"],
                    "parent": guanajuato,
                    "area_type": AreaType.MIXED,
                    "population": int(row["poblacion_total"]),
                    "population_year": 2020,
                    "population_source": CENSUS_2020,
                },
            )


def locality_name(source_name: str) -> str:
    return ACCENTED_LOCALITY_NAMES.get(source_name, source_name)


def build_agencies() -> dict[str, Agency]:
    agencies = {}
    for slug, name, acronym in AGENCIES:
        agencies[slug], _ = upsert(Agency, slug=slug, defaults={"name": name, "acronym": acronym})
    return agencies


def build_terms() -> dict[int, FiscalYear]:
    previous, _ = upsert(
        AdministrationTerm,
        name="2021–2024",
        defaults={"start_date": datetime.date(2021, 10, 10), "end_date": datetime.date(2024, 10, 9)},
    )
    current, _ = upsert(
        AdministrationTerm,
        name="2024–2027",
        defaults={"start_date": datetime.date(2024, 10, 10), "end_date": datetime.date(2027, 10, 9)},
    )
    years = {}
    for year, term in ((2024, previous), (2025, current), (2026, current)):
        years[year], _ = upsert(
            FiscalYear, year=year, defaults={"administration_term": term, "is_closed": year == 2024}
        )
    return years
