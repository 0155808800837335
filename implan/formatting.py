"""How dates, amounts and accounts read to people, in the active language: the one place services, history and
templates share (the template filters in ``implan.templatetags.portal`` register these same functions)."""

import datetime
from decimal import Decimal
from typing import Any

from django.utils import timezone, translation
from django.utils.formats import date_format

from implan.money import format_mxn


def mxn(value: Decimal | int | None) -> str:
    """{{ amount|mxn }} → $1,234.50 MXN"""
    return format_mxn(value)


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
