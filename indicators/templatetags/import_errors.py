"""The summary of a refused file's errors, one sentence per kind, with who can fix what the file cannot.

The numbers come from ``ImportJob.error_summary`` (counted by the database when the file was checked); the words
are chosen here, in the reader's language, so the same job reads right in Spanish and in English.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.apps import apps
from django.contrib.auth.models import AbstractBaseUser
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from indicators.importing import Problem

register = template.Library()


def _headline(kind: str, count: int, column: str) -> str:
    """«45 claves de territorio desconocidas»: what kind of error, counted by distinct cell text or by row."""
    phrases = {
        Problem.UNKNOWN_TERRITORY: ngettext(
            "%(count)s clave de territorio desconocida", "%(count)s claves de territorio desconocidas", count
        ),
        Problem.UNKNOWN_INDICATOR: ngettext(
            "%(count)s clave de indicador desconocida", "%(count)s claves de indicador desconocidas", count
        ),
        Problem.BAD_PERIOD: ngettext(
            "%(count)s periodo que no corresponde a la periodicidad de su indicador",
            "%(count)s periodos que no corresponden a la periodicidad de su indicador",
            count,
        ),
        Problem.NOT_A_NUMBER: ngettext(
            "%(count)s valor que no es un número", "%(count)s valores que no son números", count
        ),
        Problem.AMBIGUOUS_NUMBER: ngettext(
            "%(count)s valor que se puede leer de dos formas",
            "%(count)s valores que se pueden leer de dos formas",
            count,
        ),
        Problem.TOO_LARGE: ngettext("%(count)s valor demasiado grande", "%(count)s valores demasiado grandes", count),
        Problem.BAD_STATUS: ngettext("%(count)s estatus no válido", "%(count)s estatus no válidos", count),
        Problem.REPEATED: ngettext(
            "%(count)s fila repite el indicador, territorio y periodo de otra",
            "%(count)s filas repiten el indicador, territorio y periodo de otra",
            count,
        ),
        Problem.TOO_LONG: ngettext(
            "%(count)s celda demasiado larga en la columna «%(column)s»",
            "%(count)s celdas demasiado largas en la columna «%(column)s»",
            count,
        ),
        Problem.CONTROL_CHARACTER: ngettext(
            "%(count)s celda con un carácter de control invisible en la columna «%(column)s»",
            "%(count)s celdas con caracteres de control invisibles en la columna «%(column)s»",
            count,
        ),
    }
    phrase = phrases.get(kind) or ngettext(
        "%(count)s fila con error en la columna «%(column)s»",
        "%(count)s filas con error en la columna «%(column)s»",
        count,
    )
    return phrase % {"count": f"{count:,}", "column": column}


# Kinds counted by distinct cell text, whose texts are worth naming; the others are counted by row.
KEYED = {
    Problem.UNKNOWN_TERRITORY,
    Problem.UNKNOWN_INDICATOR,
    Problem.BAD_PERIOD,
    Problem.NOT_A_NUMBER,
    Problem.AMBIGUOUS_NUMBER,
    Problem.TOO_LARGE,
    Problem.BAD_STATUS,
}


def _advice(kind: str, user: AbstractBaseUser) -> tuple[str, str, str]:
    """What to do about a kind of error the file alone cannot fix: (text, link, link text)."""
    if kind == Problem.UNKNOWN_TERRITORY:
        catalogue = apps.get_app_config("implan").verbose_name
        territories = apps.get_model("implan", "Territory")._meta.verbose_name_plural
        text = _(
            "Revise que sean claves del INEGI o del catálogo del portal. Un territorio nuevo lo da de alta la "
            "administración del portal, en el panel de administración: «%(catalogue)s» › «%(territories)s»."
        ) % {"catalogue": catalogue, "territories": str(territories).capitalize()}
        if user.has_perm("implan.add_territory"):
            return text, reverse("admin:implan_territory_changelist"), _("Abrir el catálogo de territorios")
        return text, "", ""
    if kind == Problem.UNKNOWN_INDICATOR:
        return (
            _("Un indicador nuevo lo agrega el cuerpo técnico en el catálogo de indicadores."),
            reverse("indicators:workspace_catalogue"),
            _("Abrir el catálogo de indicadores"),
        )
    if kind == Problem.BAD_PERIOD:
        return (
            _("Los periodos se escriben 2024 (anual), 2024-S1 (semestral), 2024-T3 (trimestral) o 2024-03 (mensual)."),
            "",
            "",
        )
    if kind == Problem.CONTROL_CHARACTER:
        return (
            _(
                "Suelen venir de copiar desde otro programa o de un archivo dañado. Bórrelos, o abra el archivo en "
                "su hoja de cálculo y vuelva a guardarlo como CSV o XLSX."
            ),
            "",
            "",
        )
    if kind == Problem.AMBIGUOUS_NUMBER:
        return _("Escríbalos sin separador de miles."), "", ""
    return "", "", ""


def describe(entry: dict[str, Any], user: AbstractBaseUser) -> dict[str, Any]:
    keyed = entry["kind"] in KEYED
    count = entry["keys"] if keyed else entry["rows"]
    examples = entry["examples"] if keyed else []
    more = entry["keys"] - len(examples) if keyed else 0
    text, link, link_text = _advice(entry["kind"], user)
    return {
        "headline": _headline(entry["kind"], count, entry["column"]),
        "rows": ngettext("en %(count)s fila", "en %(count)s filas", entry["rows"]) % {"count": f"{entry['rows']:,}"}
        if keyed
        else "",
        "examples": examples,
        "more": ngettext("y %(count)s más", "y %(count)s más", more) % {"count": f"{more:,}"} if more else "",
        "advice": text,
        "link": link,
        "link_text": link_text,
    }


@register.inclusion_tag("indicators/workspace/partials/error_summary.html", takes_context=True)
def import_error_summary(context: template.Context, job: Any) -> dict[str, Any]:
    user = context["request"].user
    return {"entries": [describe(entry, user) for entry in job.error_summary]}
