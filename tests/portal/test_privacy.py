"""Citizen members' contact data, commenters' e-mails, subscribers' addresses and comments not published (held or
rejected) appear on no public page, feed or open-data file: a crawl of the whole demo."""

import pytest
from django.urls import reverse

from consultations import following, subscriptions
from consultations.models import PROPOSAL_PUBLIC_STATES, Comment, CommentState, FollowKind, Proposal, Subscription
from councils.models import PersonContact
from tests.portal.crawler import crawl

pytestmark = pytest.mark.django_db
# Pages of one kind (one view, one set of query parameters) are one template over different rows: twenty of each
# reach every strategy, session and consultation of the demo, most of its bodies, projects and indicators, and a
# sample of its 114 «seguir» pages and feeds. A PDF of one kind
# is one template laid out over different rows, in seconds each: one of each kind, read through to its text.
PER_KIND = 20
OPEN_DATA = [
    "/datos/consejos.popolo.json",
    "/datos/sesiones.ics",
    "/datos/consultas.json",
    "/datos/aportaciones-consultas.csv",
    "/datos/propuestas-ciudadanas.json",
    "/datos/propuestas-ciudadanas.csv",
]
# The demo's published report of a consultation: reached from its page, as page, CSV and PDF.
REPORT = [
    "/consultas/foros-vecinales-del-diagnostico-2026/informe/",
    "/consultas/foros-vecinales-del-diagnostico-2026/informe.csv",
    "/consultas/foros-vecinales-del-diagnostico-2026/informe.pdf",
]


def private_values() -> set[str]:
    values = set()
    for contact in PersonContact.objects.all():
        values |= {v for v in (contact.email, contact.phone, contact.address) if v}
    return values | commenters_private_values() | set(Subscription.objects.values_list("email", flat=True))


def follow_everything() -> None:
    """A confirmed subscriber (a private address) for the first public thing of every kind, and a pending one."""
    for n, kind in enumerate(FollowKind.values):
        obj = following.followable(kind).order_by("pk").first()
        for state in ("confirmada", "pendiente"):
            subscription = subscriptions.subscription_request(
                email=f"suscriptora-{n}-{state}@correo-privado.example", kind=kind, obj=obj, frequency="semanal"
            )
            if state == "confirmada":
                subscriptions.subscription_confirm(token=subscriptions.confirm_token(subscription, "diaria"))


def email_links() -> list[str]:
    """The pages only an e-mail links to: each subscription's confirmation (pending ones) and unsubscribe pages."""
    links = []
    for subscription in Subscription.objects.order_by("pk"):
        if subscription.state == "pendiente":
            token = subscriptions.confirm_token(subscription, subscription.frequency)
            links.append(reverse("consultations:subscription_confirm", args=[token]))
        links.append(reverse("consultations:unsubscribe", args=[subscriptions.cancel_token(subscription)]))
    return links


def commenters_private_values() -> set[str]:
    """Every commenter's e-mail, and the text of every comment that was not published."""
    emails = {e for e in Comment.objects.values_list("email", flat=True) if e}
    unpublished = Comment.objects.exclude(state=CommentState.ACCEPTED).values_list("text", flat=True)
    return emails | set(unpublished) | proposers_private_values()


def proposers_private_values() -> set[str]:
    """Every proposer's e-mail, and the title and text of every proposal not published (held or rejected)."""
    emails = {e for e in Proposal.objects.values_list("email", flat=True) if e}
    unpublished = Proposal.objects.exclude(state__in=PROPOSAL_PUBLIC_STATES).values_list("title", "description")
    return emails | {text for pair in unpublished for text in pair}


def leaks(text: str, secrets: set[str]) -> set[str]:
    return {secret for secret in secrets if secret in text}


def test_no_public_page_or_open_data_file_shows_a_private_contact(client, demo):
    follow_everything()
    secrets = private_values()
    assert len(secrets) > 100, "la demostración debe traer datos de contacto para que la prueba signifique algo"
    assert len(commenters_private_values()) >= 6, "y comentarios con correo, retenidos y rechazados"
    assert len(proposers_private_values()) >= 9, "y propuestas ciudadanas con correo, retenidas y rechazadas"

    links = email_links()
    pages = list(crawl(client, ["/", *OPEN_DATA, *links], per_kind=PER_KIND, pdfs_per_kind=1))

    assert len(pages) > 30, "el recorrido debe alcanzar las páginas de órganos, sesiones y datos abiertos"
    assert {p.url for p in pages} >= {"/", *OPEN_DATA, *links, *REPORT}
    assert sum(p.url.startswith("/seguir/") for p in pages) >= 5, "y las páginas para seguir un tema y sus fuentes"
    assert sum(p.url.startswith("/propuestas/") for p in pages) >= 7, "y las propuestas ciudadanas y su mapa"
    transparency = [p for p in pages if p.url.startswith("/transparencia/")]
    assert len(transparency) >= 13, "y las obligaciones de transparencia, páginas y archivos"
    assert sum(p.url.endswith(".xlsx") and "Ejercicio" in p.text for p in transparency) == 6, "leídos por dentro"
    pdfs = [p for p in pages if p.content_type.startswith("application/pdf")]
    assert len(pdfs) >= 5 and all(len(p.text) > 200 for p in pdfs), "los PDF también se leen por dentro"
    broken = [(p.url, p.status) for p in pages if p.status >= 400]
    assert broken == []
    found = {p.url: leaks(p.text, secrets) for p in pages if leaks(p.text, secrets)}
    assert found == {}
    assert not any("correo-privado" in p.text for p in pages)


def test_the_leak_check_would_see_a_contact_on_a_page():
    assert leaks("<p>Teléfono: 477 555 1001</p>", {"477 555 1001", "x@correo-privado.example"}) == {"477 555 1001"}
