"""Template filters shared by every page. Part of the core despite the library's name (``{% load portal %}`` in every
template predates the site layer ``implan.portal``): it imports no app."""

from django import template
from django.utils.safestring import mark_safe
from django.utils.text import capfirst
from django.utils.translation import get_language

from implan import permissions
from implan.cache import cached_by_content
from implan.formatting import long_date, long_datetime, mxn, mxn_words
from implan.text import render_markdown
from implan.types import AnyUser

register = template.Library()

register.filter(mxn)
register.filter(mxn_words)
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


@register.tag("content_cache")
def content_cache(parser: template.base.Parser, token: template.base.Token) -> "ContentCacheNode":
    """``{% content_cache "name" %}…{% endcontent_cache %}``: the enclosed part, rendered once per content version
    and language (``implan.cache.cached_by_content``). Only for parts that show published content the same to
    everyone; the view should hand them lazy values (callables) so that a cached part costs no query."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError('content_cache lleva un nombre: {% content_cache "inicio" %}')
    nodelist = parser.parse(("endcontent_cache",))
    parser.delete_first_token()
    return ContentCacheNode(nodelist, parser.compile_filter(bits[1]))


class ContentCacheNode(template.Node):
    def __init__(self, nodelist: template.NodeList, name: template.base.FilterExpression) -> None:
        self.nodelist, self.name = nodelist, name

    def render(self, context: template.Context) -> str:
        key = self.name.resolve(context)
        if not key:  # a view that forgot its key: built every time rather than one fragment shared by every page
            return self.nodelist.render(context)
        name = f"{key}:{get_language()}"
        return mark_safe(cached_by_content(name, lambda: self.nodelist.render(context)))  # rendered by the template
