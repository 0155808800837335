"""Hostile text in every free-text field of the demo is shown as text on every public and workspace page.

Each text field of every model of the portal gets an XSS payload appended (script tags, event handlers,
``javascript:`` links, SVG). Then the public site and the workspace (as an administrator, who sees the most) are
crawled and each page's markup is inspected: no element may carry a handler, source or link that came from a
payload. The pages that run the portal's own scripts are opened in Chromium too (tests/browser/test_xss.py), so HTML
built by JavaScript (map popups, charts) is covered as well. The check looks at markup, not at whether a script
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
# Pages of one kind (a view with one set of query parameters) render one template with different rows; five of each
# cover the template's branches for the demo's variety of rows without rendering all 68 membership forms.
PER_KIND = 5


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


def _html(pages) -> list:
    return [p for p in pages if p.content_type.startswith("text/html")]


def subscription_links() -> list[str]:
    """The pages only an e-mail links to: a subscription's confirmation and unsubscribe pages (they name the thing
    followed, here a poisoned strategy)."""
    from django.urls import reverse

    from consultations import following, subscriptions

    strategy = following.followable("estrategia").order_by("pk").first()
    subscription = subscriptions.subscription_request(
        email="xss@correo-privado.example", kind="estrategia", obj=strategy, frequency="semanal"
    )
    return [
        reverse("consultations:subscription_confirm", args=[subscriptions.confirm_token(subscription, "diaria")]),
        reverse("consultations:unsubscribe", args=[subscriptions.cancel_token(subscription)]),
    ]


def test_no_payload_is_rendered_as_markup_on_any_public_page(client, poisoned_demo):
    links = subscription_links()
    pages = _html(crawl(client, ["/", *links], per_kind=PER_KIND, html_only=True))
    assert len(pages) > 40
    # Every public page of consultations, proposals and following has poisoned text to show.
    urls = {p.url for p in pages}
    assert set(links) <= urls
    assert {"/consultas/", "/consultas/foros-vecinales-del-diagnostico-2026/informe/", "/propuestas/"} <= urls
    assert any(u.startswith("/seguir/") and u.count("/") == 4 for u in urls), "la página para seguir un tema"
    assert all(MARK in p.text for p in pages if p.url in links), "las páginas de los enlaces del correo"
    assert sum(MARK in p.text for p in pages) > 20, "los textos envenenados deben aparecer en las páginas"
    assert {p.url: injected(p.text) for p in pages if injected(p.text)} == {}


def test_no_payload_is_rendered_as_markup_on_any_workspace_page(client, poisoned_demo):
    from django.contrib.auth import get_user_model

    client.force_login(get_user_model().objects.get(username="admin"))  # the administrator sees the most
    pages = _html(crawl(client, ["/espacio/"], within="/espacio/", per_kind=PER_KIND, html_only=True))
    assert len(pages) > 20
    assert sum(MARK in p.text for p in pages) > 10, "los textos envenenados deben aparecer en las páginas"
    assert {p.url: injected(p.text) for p in pages if injected(p.text)} == {}
