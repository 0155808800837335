"""How dates, amounts and accounts read to people, in the active language: the one place services, history and
templates share (the template filters in ``implan.templatetags.portal`` register these same functions)."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import formats, timezone, translation
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from implan.money import format_mxn


def mxn(value: Decimal | int | None) -> str:
    """{{ amount|mxn }} → $1,234.50 MXN"""
    return format_mxn(value)


MILLION = Decimal("1000000")
THOUSAND = Decimal("1000")


def mxn_words(value: Decimal | int | None) -> str:
    """{{ amount|mxn_words }} → «9,292 millones de pesos», «649.3 millones de pesos», «850 mil pesos»: an amount
    as a citizen reads it aloud. Thousands of millions stay millions with a thousands separator: «mil millones» and
    the English «billion» are misread too often (a Mexican «billón» is a million millions)."""
    if value is None:
        return ""
    amount = Decimal(value)
    if abs(amount) >= MILLION:
        millions = amount / MILLION
        number = _rounded(millions, 0 if abs(millions) >= 100 else 1)
        if number == "1":
            return _("1 millón de pesos")
        return _("%(amount)s millones de pesos") % {"amount": number}
    if abs(amount) >= THOUSAND:
        return _("%(amount)s mil pesos") % {"amount": _rounded(amount / THOUSAND, 0)}
    return _("%(amount)s pesos") % {"amount": _rounded(amount, 0)}


def _rounded(value: Decimal, places: int) -> str:
    """The number with at most ``places`` decimals and grouped thousands, without a trailing «.0»."""
    text = formats.number_format(round(value, places), places, use_l10n=True, force_grouping=True)
    decimal_separator = formats.get_format("DECIMAL_SEPARATOR")
    if places and text.endswith(decimal_separator + "0" * places):
        text = text[: -(places + 1)]
    return text


def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """24 de noviembre de 2026 (Spanish writes month names in lowercase); November 24, 2026 in English."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if translation.get_language().startswith("es"):
        return f"{value.day} de {date_format(value, 'F').lower()} de {value.year}"
    return date_format(value, "F j, Y")


def long_datetime(value: datetime.datetime | None) -> str:
    """24 de noviembre de 2026, 17:00 h; November 24, 2026, 17:00 in English (the "h" is a Spanish habit)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    suffix = " h" if translation.get_language().startswith("es") else ""
    return f"{long_date(local)}, {local:%H:%M}{suffix}"


def account_name(user: Any) -> str:
    """How an account is named where administrators pick or read it: «Full Name (username)»."""
    full = user.get_full_name()
    return f"{full} ({user.get_username()})" if full else user.get_username()
