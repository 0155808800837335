"""Control characters in what people send: nobody means one, and NUL breaks PostgreSQL's text type.

They arrive through files more than through forms (a binary or damaged file read as text, a copy from a terminal),
so every import checks each cell it keeps, as the middleware checks every parameter: a control character is an
error of its row and column, never a database error halfway through saving.
"""

from __future__ import annotations

import re

from django.utils.translation import gettext as _

# C0, DEL and C1: none belongs in a URL or a parameter.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f-\x9f]")
# In a text a person writes, tabs and line breaks are text (a textarea sends them, a quoted CSV cell holds them).
CONTROL_CHARACTERS_IN_TEXT = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def first_control_character(text: str) -> str | None:
    found = CONTROL_CHARACTERS_IN_TEXT.search(text)
    return found.group() if found else None


def code_point(character: str) -> str:
    return f"U+{ord(character):04X}"


def visible(text: str) -> str:
    """The text with each control character drawn as a symbol (NUL → ␀), so it can be stored and shown."""
    return CONTROL_CHARACTERS_IN_TEXT.sub(_picture, text)


def _picture(found: re.Match[str]) -> str:
    code = ord(found.group())
    if code < 0x20:
        return chr(0x2400 + code)  # Unicode's Control Pictures block: ␀ ␁ … ␟
    return "\u2421" if code == 0x7F else "\ufffd"


def control_character_message(character: str, column: str) -> str:
    return _(
        "La celda de la columna «%(column)s» tiene un carácter de control invisible (%(code)s) que no se puede "
        "guardar: bórrelo o vuelva a exportar el archivo."
    ) % {"column": column, "code": code_point(character)}
