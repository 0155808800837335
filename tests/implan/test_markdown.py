"""Long texts render as Markdown; whatever HTML or script someone types comes out inert."""

from html.parser import HTMLParser

import pytest

from implan.text import render_markdown
from tests.payloads import XSS_PAYLOADS


def test_markdown_keeps_the_formatting_people_use():
    html = render_markdown(
        "# Diagnóstico\n\nTexto con **énfasis** y [fuente](https://www.inegi.org.mx).\n\n- uno\n- dos"
    )
    assert "<h2>Diagnóstico</h2>" in html  # the page already has its h1
    assert "<strong>énfasis</strong>" in html
    assert '<a href="https://www.inegi.org.mx" rel="noopener noreferrer nofollow">fuente</a>' in html
    assert "<li>uno</li>" in html


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict]] = []

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.found.append((tag, dict(attrs)))


def elements(html: str) -> list[tuple[str, dict]]:
    parser = _Elements()
    parser.feed(html)
    return parser.found


@pytest.mark.parametrize("payload", XSS_PAYLOADS)
def test_no_payload_survives_as_markup(payload):
    for tag, attrs in elements(str(render_markdown(payload))):
        assert tag not in {"script", "img", "svg", "iframe", "body", "details", "object", "embed"}
        assert not any(name.startswith("on") for name in attrs)
        assert not attrs.get("href", "").strip().lower().startswith("javascript")


def test_empty_text_renders_nothing():
    assert render_markdown("") == "" and render_markdown(None) == ""
