"""Template filters shared by every page."""

import datetime
from decimal import Decimal

from django import template
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.text import capfirst

from implan.money import format_mxn
from implan.text import render_markdown

register = template.Library()


@register.filter
def mxn(value: Decimal | int | None) -> str:
    """{{ amount|mxn }} → $1,234.50 MXN"""
    return format_mxn(value)


@register.filter
def long_date(value: datetime.date | datetime.datetime | None) -> str:
    """24 de noviembre de 2026 (Spanish writes month names in lowercase); November 24, 2026 in English."""
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
    if translation.get_language().startswith("es"):
        return f"{value.day} de {date_format(value, 'F').lower()} de {value.year}"
    return date_format(value, "F j, Y")


@register.filter
def long_datetime(value: datetime.datetime | None) -> str:
    """24 de noviembre de 2026, 17:00 h; November 24, 2026, 17:00 in English (the "h" is a Spanish habit)."""
    if value is None:
        return ""
    local = timezone.localtime(value)
    suffix = " h" if translation.get_language().startswith("es") else ""
    return f"{long_date(local)}, {local:%H:%M}{suffix}"


# Django's own table spells es-mx's name in Spanish "español de Mexico", without the accent México carries.
OWN_LANGUAGE_NAMES = {"es-mx": "español de México"}


@register.filter
def own_name(language: dict[str, str]) -> str:
    """A language's name in that language ({{ language|own_name }} on get_language_info), capitalised."""
    return capfirst(OWN_LANGUAGE_NAMES.get(language["code"], language["name_local"]))


@register.filter
def markdown(value: str | None) -> str:
    """{{ strategy.description|markdown }}: Markdown rendered and sanitised (see implan.text)."""
    return render_markdown(value)


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """?pagina=N keeping the page's other query parameters (filters, search text)."""
    query = context["request"].GET.copy()
    query["pagina"] = number
    return "?" + query.urlencode()


@register.filter
def is_administrator(user: object) -> bool:
    """{% if user|is_administrator %}: administrators may revert recorded changes."""
    from implan.services import is_administrator as check

    return check(user)
