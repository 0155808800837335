"""Template filters shared by every page."""

from decimal import Decimal

from django import template

from implan.money import format_mxn

register = template.Library()


@register.filter
def mxn(value: Decimal | int | None) -> str:
    """{{ amount|mxn }} → $1,234.50 MXN"""
    return format_mxn(value)
