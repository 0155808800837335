"""The shape of the demo's budgets: every line of the 2025 budget with its CONAC classifications, at the scale of
León's real budget, and its execution by stages per quarter.

ILLUSTRATIVE FIGURES. León's published totals are known (7,835 M MXN in 2023, 9,292 M in 2026), its line detail is
not in the offline data: the 2025 total here (8,500 M) sits between them, and its shape follows what a Mexican
municipality of León's size spends — servicios personales about 40 %, servicios generales 17 % (street-lighting
energy and waste collection the largest), transfers 12 % (the water utility SAPAL and the municipal institutes),
public works 18 % by strategy, the rest in materials, equipment, provisions, agreements and debt service. Each
amount is a plausible demonstration figure, not an official one (implan/portal/demo/data/SOURCES.md).
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from implan.types import Actor
from planning.conac import load_catalogues
from planning.models import Budget, BudgetExecution, BudgetQuarter, ConacCatalogue, ConacEntry

M = Decimal("1000000")

# (programme, partida genérica, subfunción, modalidad, fund, description, 2025 amount in millions of MXN).
# The first line of each programme is the one its projects draw on (implan/portal/demo/portfolio.py).
LINES: list[tuple[str, str, str, str, str, str, int]] = [
    # Strategy 1 · Desarrollo Sustentable
    ("P01", "6140", "2.1.5", "K", "recursos_propios", "Parques lineales y arbolado urbano", 80),
    ("P01", "3580", "2.1.1", "E", "recursos_propios", "Recolección y disposición de residuos", 300),
    ("P01", "1130", "2.1.5", "E", "participaciones", "Personal de medio ambiente", 100),
    ("P01", "2490", "2.1.5", "E", "recursos_propios", "Materiales para parques", 20),
    ("P01", "5780", "2.1.5", "E", "recursos_propios", "Árboles y plantas para reforestación", 20),
    ("P02", "6130", "2.2.3", "K", "faism", "Redes de agua potable en comunidades rurales", 200),
    ("P02", "4150", "2.2.3", "E", "participaciones", "Transferencia al SAPAL", 250),
    # Strategy 2 · Rumbo Económico
    ("P03", "6320", "3.1.1", "K", "recursos_propios", "Incubadora de empresas en el Parque Industrial", 20),
    ("P03", "4390", "3.1.1", "S", "recursos_propios", "Apoyos a emprendedores", 40),
    ("P03", "1130", "3.1.1", "E", "participaciones", "Personal de desarrollo económico", 60),
    ("P03", "3830", "3.1.1", "F", "recursos_propios", "Ferias de empleo y congresos", 40),
    ("P03", "2110", "3.1.1", "E", "recursos_propios", "Materiales de oficina", 10),
    # Strategy 3 · Educación para la Vida
    ("P04", "6120", "2.5.1", "K", "faism", "Rehabilitación de escuelas", 120),
    ("P04", "1130", "2.5.1", "E", "participaciones", "Personal de educación", 200),
    ("P04", "4420", "2.5.1", "S", "recursos_propios", "Becas municipales", 150),
    ("P04", "3510", "2.5.1", "E", "recursos_propios", "Mantenimiento menor de planteles", 55),
    ("P04", "5110", "2.5.1", "E", "recursos_propios", "Mobiliario escolar", 20),
    ("P04", "2170", "2.5.1", "E", "recursos_propios", "Materiales didácticos", 15),
    # Strategy 4 · Cultura y Valores
    ("P05", "6120", "2.4.2", "K", "recursos_propios", "Casas de cultura en los barrios", 40),
    ("P05", "4150", "2.4.2", "E", "participaciones", "Transferencia al Instituto Cultural de León", 120),
    ("P05", "1130", "2.4.2", "E", "participaciones", "Personal de cultura", 120),
    ("P05", "3820", "2.4.2", "E", "recursos_propios", "Festivales y actividades culturales", 60),
    ("P05", "2150", "2.4.2", "E", "recursos_propios", "Material impreso de difusión cultural", 10),
    # Strategy 5 · Salud y Deporte
    ("P06", "6120", "2.3.1", "K", "recursos_propios", "Centros de salud comunitarios", 50),
    ("P06", "1130", "2.3.1", "E", "participaciones", "Personal de salud municipal", 150),
    ("P06", "4150", "2.3.1", "E", "participaciones", "Transferencia al DIF municipal", 100),
    ("P06", "2530", "2.3.1", "E", "recursos_propios", "Medicinas y productos farmacéuticos", 40),
    ("P06", "3390", "2.3.1", "E", "recursos_propios", "Servicios médicos integrales", 30),
    ("P06", "5310", "2.3.1", "E", "recursos_propios", "Equipo médico", 25),
    ("P07", "6120", "2.4.1", "K", "recursos_propios", "Unidades deportivas", 60),
    ("P07", "4150", "2.4.1", "E", "participaciones", "Transferencia a la Comisión Municipal de Cultura Física", 90),
    ("P07", "1130", "2.4.1", "E", "participaciones", "Personal de deporte", 80),
    ("P07", "3510", "2.4.1", "E", "recursos_propios", "Mantenimiento de canchas", 30),
    ("P07", "2730", "2.4.1", "E", "recursos_propios", "Artículos deportivos", 15),
    # Strategy 6 · Hábitat
    ("P08", "6140", "2.2.5", "K", "faism", "Mejoramiento de vivienda en polígonos de desarrollo", 100),
    ("P08", "4410", "2.6.6", "S", "recursos_propios", "Apoyos para vivienda", 200),
    ("P08", "1130", "2.2.5", "E", "participaciones", "Personal de desarrollo social", 150),
    ("P08", "2420", "2.2.5", "E", "faism", "Cemento y materiales para techos y pisos", 30),
    # Strategy 7 · Infraestructura y Equipamiento Nodal
    ("P09", "6150", "3.5.1", "K", "convenios_federales", "Ciclovías y cruces seguros", 300),
    ("P09", "1130", "3.5.1", "E", "participaciones", "Personal de movilidad", 250),
    ("P09", "3390", "3.5.1", "E", "recursos_propios", "Servicios integrales de transporte", 100),
    ("P09", "2490", "3.5.1", "E", "recursos_propios", "Señalización vial", 25),
    ("P10", "6150", "2.2.1", "K", "faism", "Pavimentación de calles en colonias", 500),
    ("P10", "3110", "2.2.4", "E", "recursos_propios", "Energía eléctrica del alumbrado público", 550),
    ("P10", "1130", "2.2.1", "E", "participaciones", "Personal de obra pública y servicios", 450),
    ("P10", "8530", "2.2.1", "R", "estatal", "Convenio de obra con el Estado", 85),
    ("P10", "2460", "2.2.4", "E", "recursos_propios", "Material eléctrico para alumbrado", 80),
    ("P10", "5660", "2.2.4", "E", "recursos_propios", "Luminarias y equipo eléctrico", 30),
    # Strategy 8 · Participación Social
    ("P11", "6140", "2.2.2", "K", "recursos_propios", "Obras del presupuesto participativo", 80),
    ("P11", "4450", "2.2.2", "S", "recursos_propios", "Apoyos a organizaciones civiles", 50),
    ("P11", "1130", "2.2.2", "E", "participaciones", "Personal de participación ciudadana", 40),
    ("P11", "3510", "2.2.2", "E", "recursos_propios", "Mantenimiento de centros comunitarios", 20),
    # Strategy 9 · Administración Pública
    ("P12", "6220", "1.8.1", "K", "recursos_propios", "Ventanilla única de trámites", 30),
    ("P12", "1130", "1.8.1", "M", "participaciones", "Personal de la administración central", 670),
    ("P12", "9110", "4.1.1", "D", "participaciones", "Amortización de la deuda con la banca", 140),
    ("P12", "9210", "4.1.1", "D", "participaciones", "Intereses de la deuda con la banca", 110),
    ("P12", "9310", "4.1.1", "D", "participaciones", "Comisiones de la deuda", 5),
    ("P12", "3610", "1.8.3", "M", "recursos_propios", "Comunicación social", 90),
    ("P12", "3330", "1.8.5", "M", "recursos_propios", "Consultoría en tecnologías de la información", 80),
    ("P12", "7990", "1.5.2", "R", "recursos_propios", "Erogaciones especiales", 50),
    ("P12", "5150", "1.8.5", "M", "recursos_propios", "Equipo de cómputo", 40),
    ("P12", "2110", "1.8.1", "M", "recursos_propios", "Materiales de oficina", 30),
    # No strategy yet
    ("P13", "1130", "1.7.1", "E", "fortamun", "Personal de seguridad pública", 1100),
    ("P13", "2610", "1.7.1", "E", "fortamun", "Combustible de patrullas", 150),
    ("P13", "5410", "1.7.1", "E", "fortamun", "Patrullas", 120),
    ("P13", "3550", "1.7.1", "E", "recursos_propios", "Mantenimiento de vehículos", 90),
    ("P13", "7910", "1.7.2", "N", "recursos_propios", "Contingencias por fenómenos naturales", 35),
]

# How far each quarter's execution has gone, as a share of the year's (accumulated).
QUARTER_SHARES = {1: Decimal("0.22"), 2: Decimal("0.47"), 3: Decimal("0.71"), 4: Decimal("1")}
CENT = Decimal("0.01")


def catalogue_codes() -> dict[tuple[str, str], ConacEntry]:
    """The catalogues' entries by (catalogue, code), loading them first if a flushed database lost them."""
    if not ConacEntry.objects.exists():
        load_catalogues(ConacEntry)
    return {(e.catalogue, e.code): e for e in ConacEntry.objects.all()}


def classification(codes: dict[tuple[str, str], ConacEntry], partida: str, subfunction: str, modality: str) -> dict:
    return {
        "chapter": partida[0] + "000",
        "partida": codes[(ConacCatalogue.OBJECT, partida)],
        "subfunction": codes[(ConacCatalogue.FUNCTIONAL, subfunction)],
        "modality": codes[(ConacCatalogue.PROGRAMMATIC, modality)],
    }


def stages(modified: Decimal, executed: Decimal, share: Decimal) -> dict[str, Decimal]:
    """A quarter's accumulated stages of a line that will have executed ``executed`` of ``modified`` by the end of
    the year: each stage a little ahead of the next, as commitments precede receipts and payments."""
    exercised = (executed * share).quantize(CENT)
    return {
        "modified": modified,
        "committed": min(modified, (exercised * Decimal("1.15")).quantize(CENT)),
        "accrued": min(modified, (exercised * Decimal("1.05")).quantize(CENT)),
        "exercised": exercised,
        "paid": (exercised * Decimal("0.96")).quantize(CENT),
    }


def record_quarters(budget: Budget, quarters: range, closed: range, closer: Actor, when: datetime.datetime) -> None:
    """Each line's stages for ``quarters`` (its figures to date follow the last one) and the closing of ``closed``."""
    for line in budget.lines.all():
        year_end = line.executed_amount / QUARTER_SHARES[quarters[-1]] if quarters else Decimal(0)
        for quarter in quarters:
            BudgetExecution.objects.create(
                line=line, quarter=quarter, **stages(line.modified_amount, year_end, QUARTER_SHARES[quarter])
            )
    for quarter in closed:
        BudgetQuarter.objects.create(budget=budget, quarter=quarter, closed_at=when, closed_by=closer)
