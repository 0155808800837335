"""Template filters shared by every page. Part of the core despite the library's name (``{% load portal %}`` in every
template predates the site layer ``implan.portal``): it imports no app."""

from django import template
from django.utils.text import capfirst

from implan import permissions
from implan.formatting import long_date, long_datetime, mxn
from implan.text import render_markdown
from implan.types import AnyUser

register = template.Library()

register.filter(mxn)
register.filter(long_date)
register.filter(long_datetime)

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
def is_administrator(user: AnyUser) -> bool:
    """{% if user|is_administrator %}: administrators may revert recorded changes."""
    return permissions.is_administrator(user)
