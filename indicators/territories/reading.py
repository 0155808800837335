"""Reading INEGI's territory catalogues as INEGI publishes them, and judging each row.

Accepts the AGEEML files (entidades, municipios, localidades) and the Census tables: column names such as
``CVE_ENT``, ``NOM_ENT``, ``CVE_MUN``, ``NOM_MUN``, ``CVE_LOC``, ``NOM_LOC``, ``AMBITO``, ``LAT_DECIMAL``,
``LON_DECIMAL``, ``POB_TOTAL`` in upper or lower case, with or without accents (and the longer spellings of other
publishers: ``cve_entidad``, ``nom_municipio``, ``latitud``, ``poblacion_total``…); CSV in UTF-8 (with or without
BOM) or Windows-1252/Latin-1, or XLSX (``indicators.importing.read_table``); keys with or without the leading zeros
a spreadsheet drops.

The file's deepest key decides its level: a file with ``CVE_LOC`` is a catalogue of localities, with ``CVE_MUN`` of
municipalities, else of states. The parents (country, state, municipality) come from the same rows: matched by key
when the portal has them, created from the row's names when it does not.

This module only reads and judges; ``indicators.territories.jobs`` keeps the preview and saves.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.db.models import Q
from django.utils.translation import gettext as _

from implan.control_characters import CONTROL_CHARACTERS_IN_TEXT
from implan.models import (
    COUNTRY_CODE,
    INEGI_KEY_WIDTHS,
    AreaType,
    Territory,
    TerritoryKind,
    inegi_key,
)
from indicators.importing import ImportRefused, any_of, fold, is_blank

# Accepted header spellings (after ``fold``: lower case, no accents, spaces as underscores), first one wins.
COLUMNS: dict[str, tuple[str, ...]] = {
    "cve_ent": ("cve_ent", "cve_entidad", "clave_entidad", "clave_de_la_entidad", "cve_edo"),
    "nom_ent": ("nom_ent", "nom_entidad", "nombre_entidad", "nombre_de_la_entidad", "entidad"),
    "cve_mun": ("cve_mun", "cve_municipio", "clave_municipio", "clave_del_municipio"),
    "nom_mun": ("nom_mun", "nom_municipio", "nombre_municipio", "nombre_del_municipio", "municipio"),
    "cve_loc": ("cve_loc", "cve_localidad", "clave_localidad", "clave_de_la_localidad"),
    "nom_loc": ("nom_loc", "nom_localidad", "nombre_localidad", "nombre_de_la_localidad", "localidad"),
    "ambito": ("ambito",),
    # INEGI's AGEEML has both LATITUD (degrees, minutes, seconds) and LAT_DECIMAL: the decimal one is preferred.
    "lat": ("lat_decimal", "latitud_decimal", "latitud", "lat", "latitude"),
    "lon": ("lon_decimal", "longitud_decimal", "longitud", "lon", "longitude"),
    "pob": ("pob_total", "pobtot", "poblacion_total", "poblacion", "population"),
}
LABELS = {
    "cve_ent": "CVE_ENT",
    "nom_ent": "NOM_ENT",
    "cve_mun": "CVE_MUN",
    "nom_mun": "NOM_MUN",
    "cve_loc": "CVE_LOC",
    "nom_loc": "NOM_LOC",
    "ambito": "AMBITO",
    "lat": "LAT_DECIMAL",
    "lon": "LON_DECIMAL",
    "pob": "POB_TOTAL",
}
MAX_NAME = 200
# INEGI's definition: a locality of 2,500 people or more is urban.
URBAN_FROM = 2500
# Written where a value is withheld or missing; the population stays unknown (never zero).
NO_VALUE = {"", "*", "n/d", "nd", "-", "s/d", "na", "n/a"}
COUNTRY_NAME = "México"
Getter = Callable[[str], str]
_DMS = re.compile(r"^\s*(\d+)\s*°\s*(\d+)\s*'\s*([\d.]+)\s*(?:\"|'')?\s*([NSEWO])?\s*$", re.IGNORECASE)


@dataclass(slots=True)
class Unit:
    """One territory as the file says it is: its own key and its parent's (INEGI's full keys)."""

    kind: str
    key: str  # the full geostatistical key: 2, 5 or 9 digits («00» for the country)
    name: str
    parent_key: str
    cve_ent: str = ""
    cve_mun: str = ""
    cve_loc: str = ""
    area_type: str = AreaType.MIXED
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    population: int | None = None


@dataclass
class Checked:
    line: int
    unit: Unit | None  # None when the row has errors
    errors: list[dict[str, str]] = field(default_factory=list)


def map_columns(header: list[str]) -> tuple[str, dict[str, int]]:
    """The file's level and the position of each known column; ImportRefused when no level can be read."""
    folded = [fold(cell) for cell in header]
    positions: dict[str, int] = {}
    for column, spellings in COLUMNS.items():
        for spelling in spellings:
            if spelling in folded:
                positions[column] = folded.index(spelling)
                break
    needed: tuple[str, ...]
    if "cve_loc" in positions:
        kind, needed = TerritoryKind.LOCALIDAD, ("cve_ent", "cve_mun", "cve_loc", "nom_loc")
    elif "cve_mun" in positions:
        kind, needed = TerritoryKind.MUNICIPIO, ("cve_ent", "cve_mun", "nom_mun")
    elif "cve_ent" in positions:
        kind, needed = TerritoryKind.ENTIDAD, ("cve_ent", "nom_ent")
    else:
        raise ImportRefused(
            _(
                "El archivo no tiene columnas de claves del INEGI: se esperan CVE_ENT (entidad), CVE_MUN (municipio) "
                "o CVE_LOC (localidad), con sus nombres NOM_ENT, NOM_MUN o NOM_LOC."
            )
        )
    missing = [LABELS[c] for c in needed if c not in positions]
    if missing:
        raise ImportRefused(
            _("Faltan columnas para un catálogo de %(level)s: %(columns)s.")
            % {"level": str(TerritoryKind(kind).label).lower(), "columns": ", ".join(missing)}
        )
    return kind, positions


class RowChecker:
    """Judges rows one by one; remembers the keys and parents seen, so repeated keys and parents whose name
    changes between rows are errors of the row where they show."""

    def __init__(self, kind: str, positions: dict[str, int]) -> None:
        self.kind, self.positions = kind, positions
        self.seen: dict[str, int] = {}  # key → first line
        self.parents: dict[str, tuple[str, str, int]] = {}  # key → (name, folded name, first line)
        depth: int = {"entidad": 1, "municipio": 2, "localidad": 3}[kind]
        self._key_columns = list(INEGI_KEY_WIDTHS.items())[:depth]
        parent_columns: dict[str, list[tuple[str, int]]] = {
            TerritoryKind.MUNICIPIO: [("nom_ent", 2)],
            TerritoryKind.LOCALIDAD: [("nom_ent", 2), ("nom_mun", 5)],
        }
        self._parent_columns = parent_columns.get(kind, [])

    def check(self, line: int, cells: list[str]) -> Checked:
        get = self._reader(cells)
        errors: list[dict[str, str]] = []
        bad = CONTROL_CHARACTERS_IN_TEXT.search("".join(cells))
        if bad:
            return Checked(line, None, [_error("", _("La fila tiene un carácter de control que no se puede guardar."))])
        keys = self._keys(get, errors)
        name = get(self._name_column())
        if not name:
            errors.append(_error(LABELS[self._name_column()], _("Falta el nombre.")))
        elif len(name) > MAX_NAME:
            errors.append(
                _error(LABELS[self._name_column()], _("El nombre pasa de %(max)s caracteres.") % {"max": MAX_NAME})
            )
        latitude = _coordinate(get("lat"), -90, 90, "lat", errors)
        longitude = _coordinate(get("lon"), -180, 180, "lon", errors)
        if (latitude is None) != (longitude is None) and not errors:
            errors.append(_error("LAT_DECIMAL", _("Indique latitud y longitud juntas, o ninguna.")))
        population = _population(get("pob"), errors)
        area = self._area(get("ambito"), population, errors)
        if errors or keys is None:
            return Checked(line, None, errors)
        key, parent_key = keys
        if key in self.seen:
            return Checked(
                line,
                None,
                [
                    _error(
                        "", _("La clave %(key)s ya venía en la fila %(line)s.") % {"key": key, "line": self.seen[key]}
                    )
                ],
            )
        self.seen[key] = line
        errors = self._parent_names(line, key, get)
        if errors:
            return Checked(line, None, errors)
        unit = Unit(
            kind=self.kind,
            key=key,
            name=name,
            parent_key=parent_key,
            cve_ent=key[:2],
            cve_mun=key[2:5],
            cve_loc=key[5:9],
            area_type=area,
            latitude=latitude,
            longitude=longitude,
            population=population,
        )
        return Checked(line, unit)

    def parent_units(self) -> Iterator[Unit]:
        """The country and the parents named by the rows, from the top down (each before its children)."""
        yield Unit(kind=TerritoryKind.PAIS, key=COUNTRY_CODE, name=COUNTRY_NAME, parent_key="")
        for key, (name, _folded, _line) in sorted(self.parents.items(), key=lambda item: (len(item[0]), item[0])):
            if len(key) == 2:
                yield Unit(kind=TerritoryKind.ENTIDAD, key=key, name=name, parent_key=COUNTRY_CODE, cve_ent=key)
            else:
                yield Unit(
                    kind=TerritoryKind.MUNICIPIO,
                    key=key,
                    name=name,
                    parent_key=key[:2],
                    cve_ent=key[:2],
                    cve_mun=key[2:],
                )

    def _reader(self, cells: list[str]) -> Getter:
        """The row's cells by column name, stripped; "" for a column the file lacks or a row cut short. One dict per
        row, read through its own lookup: a row of 300,000 is read about ten times."""
        width = len(cells)
        values: defaultdict[str, str] = defaultdict(
            str, {column: cells[at].strip() for column, at in self.positions.items() if at < width}
        )
        return values.__getitem__

    def _name_column(self) -> str:
        columns: dict[str, str] = {TerritoryKind.LOCALIDAD: "nom_loc", TerritoryKind.MUNICIPIO: "nom_mun"}
        return columns.get(self.kind, "nom_ent")

    def _keys(self, get: Getter, errors: list[dict[str, str]]) -> tuple[str, str] | None:
        """The row's full key and its parent's, from CVE_ENT, CVE_MUN, CVE_LOC padded with their zeros.

        A spreadsheet may also have written the municipality's full key (11020) in CVE_MUN, or the locality's
        (110200001) in CVE_LOC: accepted when it agrees with the state's (and municipality's) key.
        """
        parts: list[str] = []
        for column, width in self._key_columns:
            raw = get(column)
            if len(raw) == width and raw.isdigit() and raw.isascii() and raw != "0" * width:
                parts.append(raw)  # the common case: the key as INEGI writes it
                continue
            raw = raw.removesuffix(".0")
            prefix = "".join(parts)
            if len(raw) == len(prefix) + {"cve_ent": 2, "cve_mun": 3, "cve_loc": 4}[column] and raw.startswith(prefix):
                raw = raw[len(prefix) :] if prefix else raw
            if not raw:
                errors.append(_error(column.upper(), _("Falta la clave.")))
                return None
            try:
                parts.append(inegi_key(raw, column))
            except ValueError as error:
                errors.append(_error(column.upper(), str(error)))
                return None
        key = "".join(parts)
        parent = "".join(parts[:-1]) or COUNTRY_CODE
        return key, parent

    def _parent_names(self, line: int, key: str, get: Getter) -> list[dict[str, str]]:
        """Remember each parent's name; a parent whose name changes between rows is an error of the later row."""
        errors: list[dict[str, str]] = []
        for column, width in self._parent_columns:
            parent, name = key[:width], get(column)
            known = self.parents.get(parent)
            if known is not None and name == known[0]:
                continue  # the common case: the same name as before, written the same way
            if known is None or (not known[0] and name):
                self.parents[parent] = (name, fold(name), known[2] if known else line)
            elif name and fold(name) != known[1]:
                errors.append(
                    _error(
                        LABELS[column],
                        _("La clave %(key)s se llama «%(name)s» aquí y «%(first)s» en la fila %(line)s.")
                        % {"key": parent, "name": name, "first": known[0], "line": known[2]},
                    )
                )
        return errors

    def _area(self, raw: str, population: int | None, errors: list[dict[str, str]]) -> str:
        if self.kind != TerritoryKind.LOCALIDAD:
            return AreaType.MIXED
        folded = raw.lower() if raw.isascii() else fold(raw)
        if folded in ("u", "urbana", "urbano"):
            return AreaType.URBAN
        if folded in ("r", "rural"):
            return AreaType.RURAL
        if folded:
            errors.append(
                _error("AMBITO", _("«%(value)s» no es un ámbito: se espera U (urbano) o R (rural).") % {"value": raw})
            )
        return AreaType.URBAN if (population or 0) >= URBAN_FROM else AreaType.RURAL


def _error(column: str, message: str) -> dict[str, str]:
    return {"column": column, "message": str(message)}


def _coordinate(raw: str, low: int, high: int, column: str, errors: list[dict[str, str]]) -> Decimal | None:
    if raw.lower() in NO_VALUE:  # the markers are ASCII: no need to fold accents
        return None
    value = _degrees(raw)
    if value is None or not low <= value <= high:
        errors.append(
            _error(
                LABELS[column],
                _("«%(value)s» no es una coordenada en grados decimales entre %(low)s y %(high)s.")
                % {"value": raw, "low": low, "high": high},
            )
        )
        return None
    return value.quantize(Decimal("0.000001"))


def _degrees(raw: str) -> Decimal | None:
    """Decimal degrees, or INEGI's degrees-minutes-seconds (21°07'19.098" N; west and south negative)."""
    if "°" not in raw:  # only degrees-minutes-seconds carry it (and Decimal would refuse it, at an exception's cost)
        try:
            return Decimal(raw.replace(",", "."))
        except InvalidOperation:
            return None
    found = _DMS.match(raw)
    if not found:
        return None
    degrees, minutes, seconds, hemisphere = found.groups()
    value = Decimal(degrees) + Decimal(minutes) / 60 + Decimal(seconds) / 3600
    return -value if (hemisphere or "").upper() in ("S", "W", "O") else value


# The column is a PostgreSQL integer: a larger number would fail the save, after the preview said it was fine.
MAX_POPULATION = 2_147_483_647


def _population(raw: str, errors: list[dict[str, str]]) -> int | None:
    if raw.isdigit() and raw.isascii() and len(raw) < 10:  # the common case, first
        return int(raw)
    if raw.lower() in NO_VALUE:
        return None
    text = raw.replace(",", "").replace(" ", "").removesuffix(".0")
    if not text.isdigit() or not text.isascii() or int(text) > MAX_POPULATION:
        errors.append(_error("POB_TOTAL", _("«%(value)s» no es un número de habitantes.") % {"value": raw}))
        return None
    return int(text)


@dataclass(frozen=True)
class Stored:
    """What the portal already holds for a key, to tell new, changed and unchanged rows apart."""

    pk: int
    code: str
    kind: str
    values: tuple
    inegi: str = ""


def stored_for(keys: list[str]) -> dict[str, Stored]:
    """The stored territories with these INEGI keys (or portal codes), in one query."""
    found: dict[str, Stored] = {}
    wanted = any_of(keys)
    rows = Territory.objects.filter(Q(inegi_code__in=wanted) | Q(code__in=wanted)).values_list(
        "pk", "code", "inegi_code", "kind", *COMPARED
    )
    by_code = {}
    for pk, code, inegi, kind, *values in rows:
        stored = Stored(pk, code, kind, tuple(values), inegi)
        if inegi:
            found[inegi] = stored
        by_code[code] = stored
    # A key that is only some territory's portal code (recorded without, or with another, INEGI key): found too, so
    # that the check refuses it (``kind_error``) instead of a save that would skip the row.
    for code, stored in by_code.items():
        found.setdefault(code, stored)
    return found


# The stored fields a row may change, in the order of ``unit_values``.
COMPARED = ("name", "parent__inegi_code", "area_type", "latitude", "longitude", "population")


def unit_values(unit: Unit, stored: Stored | None) -> tuple:
    """The row's values as they would be stored (a row with no population, or no coordinates — a catalogue without
    LAT/LON columns —, keeps the stored ones)."""
    population = unit.population if unit.population is not None or stored is None else stored.values[5]
    latitude, longitude = unit.latitude, unit.longitude
    if latitude is None and stored is not None:
        latitude, longitude = stored.values[3], stored.values[4]
    return (unit.name, unit.parent_key or None, unit.area_type, latitude, longitude, population)


def kind_error(unit: Unit, stored: Stored | None) -> str:
    """A stored territory with the same key but of another level cannot be overwritten by this file; nor one whose
    portal code is the key but whose INEGI key is not (the save matches INEGI keys: it would skip the row)."""
    if stored is not None and stored.inegi != unit.key:
        return _(
            "La clave %(key)s es el código de un territorio del portal («%(name)s») registrado con otra clave del "
            "INEGI o sin ella: corríjalo en la administración o quite la fila del archivo."
        ) % {"key": unit.key, "name": stored.values[0]}
    if stored is None or stored.kind == unit.kind:
        return ""
    labels = dict(TerritoryKind.choices)
    return _("La clave %(key)s ya es de un territorio de tipo «%(kind)s» (%(code)s), no «%(new)s».") % {
        "key": unit.key,
        "kind": labels.get(stored.kind, stored.kind),
        "code": stored.code,
        "new": labels[unit.kind],
    }


def blank(cells: list[str]) -> bool:
    return is_blank(cells)
