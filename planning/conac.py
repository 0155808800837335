"""CONAC's budget classifications as data: the four catalogues under ``planning/data/conac/`` (object of expenditure,
functional, programmatic, funding sources) and how they load into ``planning.models.ConacEntry``; how the portal's
own funding sources map to CONAC's; and the stages (momentos contables) a line's execution records, in their order.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from django.utils.translation import gettext_lazy as _

from planning.models.conac import ConacCatalogue, ConacLevel

DATA_DIR = Path(__file__).resolve().parent / "data" / "conac"


def _parent_code(catalogue: str, code: str) -> str:
    """The code of the level above ``code`` ('' at the top): 2110 → 2100 → 2000; 2.2.1 → 2.2 → 2; 25 → 2."""
    if catalogue == ConacCatalogue.OBJECT:
        kept = len(code.rstrip("0"))
        return "" if kept <= 1 else code[: kept - 1].ljust(4, "0")
    if catalogue == ConacCatalogue.FUNCTIONAL:
        return code.rpartition(".")[0]
    if catalogue == ConacCatalogue.FUNDING:
        return code[:-1]
    return ""


def catalogue_rows() -> Iterator[dict[str, str]]:
    """Every entry of the four CSV files, parents before children (the files list them in that order)."""
    files = {
        "cog.csv": "cog",
        "funcional.csv": "funcional",
        "programatica.csv": "programatica",
        "fuentes.csv": "fuentes",
    }
    for name, catalogue in files.items():
        with (DATA_DIR / name).open(encoding="utf-8", newline="") as handle:
            for row in csv.DictReader(handle):
                yield {
                    "catalogue": catalogue,
                    "code": row["code"],
                    "level": row.get("level") or ConacLevel.MODALITY,
                    "name": row["name"],
                    "group": row.get("group") or "",
                    "parent": _parent_code(catalogue, row["code"]),
                }


def load_catalogues(model: Any) -> int:
    """Create or update every entry in ``model`` (the live or a migration's historical ConacEntry); idempotent.
    Returns how many entries were created."""
    created = 0
    for row in catalogue_rows():
        parent = model.objects.get(catalogue=row["catalogue"], code=row["parent"]) if row["parent"] else None
        _entry, new = model.objects.update_or_create(
            catalogue=row["catalogue"],
            code=row["code"],
            defaults={"level": row["level"], "name": row["name"], "group": row["group"], "parent": parent},
        )
        created += new
    return created


# The portal's own funding sources (planning.FundingSource, the fund a line draws on) in CONAC's Clasificador por
# Fuentes de Financiamiento: municipal taxes and fees are recursos fiscales (11); federal participations are federal
# money of free use (15); Ramo 33 funds and federal agreements are earmarked federal money (25); state money reaches
# a municipality earmarked (26); a loan is a domestic financing (12). Used by the data migration that classified
# the lines recorded before the catalogues, and for a line saved without a CONAC source.
LEGACY_SOURCES = {
    "recursos_propios": "11",
    "participaciones": "15",
    "faism": "25",
    "fortamun": "25",
    "convenios_federales": "25",
    "estatal": "26",
    "financiamiento": "12",
}


# The stages (momentos contables) after the approved one, in the order the law sets: each cannot exceed the one
# before it (pagado ≤ ejercido ≤ devengado ≤ comprometido ≤ modificado).
STAGES = (
    ("modified", _("modificado")),
    ("committed", _("comprometido")),
    ("accrued", _("devengado")),
    ("exercised", _("ejercido")),
    ("paid", _("pagado")),
)
