"""Long texts people write (Markdown) turned into HTML that is safe to show on any page.

Markdown is rendered first and the resulting HTML is then cleaned by nh3 with an allow-list: whatever a writer (or an
attacker who got a planner's password) types — script tags, event handlers, ``javascript:`` links, SVG — comes out
inert. Raw HTML inside the Markdown is escaped rather than passed through.
"""

from __future__ import annotations

import markdown as markdown_lib
import nh3
from django.utils.safestring import SafeString, mark_safe

ALLOWED_TAGS = {
    "p",
    "br",
    "hr",
    "strong",
    "em",
    "b",
    "i",
    "code",
    "pre",
    "blockquote",
    "ul",
    "ol",
    "li",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "a",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "caption",
    "sup",
    "sub",
    "abbr",
}
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "abbr": {"title"}, "th": {"scope"}, "td": set()}
ALLOWED_SCHEMES = {"http", "https", "mailto"}


class _EscapeRawHtml(markdown_lib.Extension):
    """Raw HTML in the source is shown as text, never interpreted (nh3 would strip it anyway; this keeps the words)."""

    def extendMarkdown(self, md: markdown_lib.Markdown) -> None:  # Python-Markdown's API
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")


def render_markdown(text: str | None) -> SafeString:
    """Markdown → sanitised HTML. Headings start at h2 because every page already has its own h1."""
    if not text:
        return mark_safe("")  # empty string
    html = markdown_lib.markdown(text, extensions=["tables", "sane_lists", _EscapeRawHtml()], output_format="html")
    html = html.replace("<h1>", "<h2>").replace("</h1>", "</h2>")
    cleaned = nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=ALLOWED_SCHEMES,
        link_rel="noopener noreferrer nofollow",
    )
    return mark_safe(cleaned)  # nh3 has just cleaned it with an allow-list
