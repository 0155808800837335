"""The Atom feed of what the portal publishes: instruments of the plan, budgets, annual reports and minutes.

Part of the site layer (like ``implan/portal/selectors.py`` it composes every app). Each kind of publication says how
to find its published items and where its public page is; the feed takes the newest of all of them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.db import models
from django.db.models import F
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from consultations.models import Consultation, ConsultationState, Proposal, ProposalCall
from councils.models import Minutes, MinutesState
from implan.history import object_label
from implan.models import LifecycleState
from planning.models import AnnualReport, Budget, GovernmentPlan, Programme, StrategicPlan
from planning.selectors.plan import term_slug

FEED_SIZE = 50


@dataclass(frozen=True)
class Publication:
    kind: Any
    queryset: Callable[[], models.QuerySet]
    url: Callable[[Any], str]


def _published(model: type[models.Model]) -> Callable[[], models.QuerySet]:
    # Superseded versions stay in the feed: they were published on their day.
    return lambda: model._default_manager.filter(state__in=[LifecycleState.PUBLISHED, LifecycleState.SUPERSEDED])


PUBLICATIONS = [
    Publication(_("Plan estratégico"), _published(StrategicPlan), lambda p: reverse("planning:plan_public")),
    Publication(
        _("Programa"),
        lambda: _published(Programme)().select_related("strategy"),
        lambda p: (
            (reverse("planning:strategy_public", args=[p.strategy.slug]) + f"#programa-{p.code}")
            if p.strategy_id
            else reverse("planning:plan_public")
        ),
    ),
    Publication(
        _("Programa de gobierno"),
        lambda: _published(GovernmentPlan)().select_related("administration_term"),
        lambda p: reverse("planning:government_plan_public", args=[term_slug(p)]),
    ),
    Publication(
        _("Presupuesto"),
        lambda: _published(Budget)().select_related("fiscal_year"),
        lambda b: reverse("planning:budget_year", args=[b.fiscal_year.year]),
    ),
    Publication(
        _("Informe anual"),
        lambda: _published(AnnualReport)().select_related("fiscal_year"),
        lambda r: reverse("planning:report_year", args=[r.fiscal_year.year]),
    ),
    Publication(
        _("Acta"),
        lambda: Minutes.objects.filter(state=MinutesState.PUBLISHED).select_related("session__body"),
        lambda m: reverse("councils:session_detail", args=[m.session.body.slug, m.session.number]),
    ),
    # A consultation is announced when it opens, and published again when its report comes out.
    Publication(
        _("Consulta pública"),
        lambda: Consultation.objects.public().annotate(published_at=F("opened_at")),
        lambda c: reverse("consultations:detail", args=[c.slug]),
    ),
    Publication(
        _("Informe de consulta pública"),
        lambda: Consultation.objects.filter(state=ConsultationState.REPORTED).annotate(
            published_at=F("report_published_at")
        ),
        lambda c: reverse("consultations:report", args=[c.slug]),
    ),
    # A call for citizen proposals when it opens; each proposal when moderation publishes it.
    Publication(
        _("Convocatoria de propuestas"),
        lambda: ProposalCall.objects.public().annotate(published_at=F("opened_at")),
        lambda c: reverse("consultations:call_detail", args=[c.slug]),
    ),
    Publication(
        _("Propuesta ciudadana"),
        lambda: Proposal.objects.published().select_related("call").annotate(published_at=F("moderated_at")),
        lambda p: reverse("consultations:proposal_detail", args=[p.call.slug, p.pk]),
    ),
]


@dataclass(frozen=True)
class Item:
    kind: Any
    title: str
    url: str
    published: Any
    version: int | None


def latest_publications(limit: int = FEED_SIZE) -> list[Item]:
    """The newest published items of every kind: one query per kind."""
    items = []
    for publication in PUBLICATIONS:
        for obj in publication.queryset().filter(published_at__isnull=False).order_by("-published_at")[:limit]:
            title = str(obj) if not isinstance(obj, Minutes) else _("Acta de la %(session)s") % {"session": obj.session}
            items.append(
                Item(
                    kind=publication.kind,
                    title=title or object_label(obj),
                    url=publication.url(obj),
                    published=obj.published_at,
                    version=getattr(obj, "version", None),
                )
            )
    items.sort(key=lambda item: item.published, reverse=True)
    return items[:limit]


class PublicationsFeed(Feed):
    feed_type = Atom1Feed
    link = "/"

    def title(self) -> str:
        return str(_("Publicaciones de %(name)s") % {"name": settings.INSTITUTE_NAME})

    def subtitle(self) -> str:
        return str(_("Planes, programas, presupuestos, informes, actas y consultas públicas."))

    def items(self) -> list[Item]:
        return latest_publications()

    def item_title(self, item: Item) -> str:
        version = f" (v{item.version})" if item.version and item.version > 1 else ""
        return f"{item.kind}: {item.title}{version}"

    def item_description(self, item: Item) -> str:
        # One wording for every kind: «Convocatoria… publicado» would not agree in gender.
        return str(_("Se publicó en el portal: %(kind)s «%(title)s».") % {"kind": item.kind, "title": item.title})

    def item_link(self, item: Item) -> str:
        return item.url

    def item_guid(self, item: Item) -> str:
        return f"{item.url}#{item.published.isoformat()}"

    def item_pubdate(self, item: Item) -> Any:
        return item.published

    def item_updateddate(self, item: Item) -> Any:
        return item.published
