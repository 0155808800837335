"""What a follower of a strategy, programme, project, body, indicator or territory is told: the public changes of
a period, read from the event rows the services already write (``implan.Event``) and, for new observations, from
the observations' own history — no parallel log.

Changes that count: versions published (``instrument_publicado``), resolutions (``resolution_recorded``), progress
reports and status changes of public projects, consultations opening (``consultation_abierta``) and their reports
(``consultation_informe_publicado``), citizen proposals published (``proposal_recibida``), new observations.
Shared by the digests (``consultations.subscriptions``) and the Atom feed of each followed thing.

In ``consultations`` because it reads planning, projects, councils and indicators, which only this layer (and the
site layer) may import.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Count, Max, Q
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from consultations.models import Consultation, ConsultationState, FollowKind, Proposal, ProposalState
from councils.models import Body, Resolution
from implan.models import Event, LifecycleState, Territory
from indicators.models import Indicator, Observation
from planning.models import Programme, StrategicPlan, Strategy
from projects.models import Project

PUBLISHED = f"instrument_{LifecycleState.PUBLISHED}"
OPENED = f"consultation_{ConsultationState.OPEN}"
REPORTED = f"consultation_{ConsultationState.REPORTED}"
PROJECT_ACTIONS = ("progress_reported", "project_status")
# A citizen proposal reaches its followers when moderation publishes it (``proposal_recibida``).
PROPOSAL_PUBLISHED = (f"proposal_{ProposalState.RECEIVED}",)


@dataclass(frozen=True)
class Change:
    when: datetime.datetime
    text: str
    url: str
    key: str


# --- What may be followed, and where its public page is ------------------------------------------------------------


def followable(kind: str) -> models.QuerySet:
    """The public things of a kind (a draft or hidden thing cannot be followed)."""
    querysets: dict[str, Callable[[], models.QuerySet]] = {
        FollowKind.STRATEGY: lambda: Strategy.objects.of_published_plans(),
        FollowKind.PROGRAMME: lambda: Programme.objects.published().select_related("strategy"),
        FollowKind.PROJECT: lambda: Project.objects.public(),
        FollowKind.BODY: lambda: Body.objects.active(),
        FollowKind.INDICATOR: lambda: Indicator.objects.published(),
        FollowKind.TERRITORY: lambda: Territory.objects.all(),
    }
    if kind not in querysets:
        raise Http404
    return querysets[kind]()


def followed(kind: str, pk: int) -> Any:
    """The public thing followed, or 404."""
    obj = followable(kind).filter(pk=pk).first()
    if obj is None:
        raise Http404
    return obj


def followed_url(kind: str, obj: Any) -> str:
    if kind == FollowKind.STRATEGY:
        return reverse("planning:strategy_public", args=[obj.slug])
    if kind == FollowKind.PROGRAMME:
        return _programme_url(obj)
    if kind == FollowKind.PROJECT:
        return reverse("projects:project_detail", args=[obj.slug])
    if kind == FollowKind.BODY:
        return reverse("councils:body_detail", args=[obj.slug])
    if kind == FollowKind.INDICATOR:
        return reverse("indicators:indicator_detail", args=[obj.slug])
    return reverse("projects:project_list") + f"?territorio={obj.pk}"


def _programme_url(programme: Programme) -> str:
    if programme.strategy_id:
        return reverse("planning:strategy_public", args=[programme.strategy.slug]) + f"#programa-{programme.code}"
    return reverse("planning:plan_public")


# --- The changes of a followed thing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Scope:
    """Which event rows and which observations speak of a followed thing."""

    events: list[tuple[type[models.Model], models.QuerySet, tuple[str, ...]]]
    observations: Q | None


def scope(kind: str, obj: Any) -> Scope:
    public_projects = Project.objects.public()
    if kind == FollowKind.STRATEGY:
        # A strategy keeps its slug from one version of the plan to the next: its followers hear of the new draft's
        # consultation and of the new version's publication too.
        same = Strategy.objects.filter(slug=obj.slug).values("pk")
        events = [
            (StrategicPlan, StrategicPlan.objects.filter(strategies__in=same).values("pk"), (PUBLISHED,)),
            (Programme, Programme.objects.filter(strategy__in=same).values("pk"), (PUBLISHED,)),
            (Project, public_projects.filter(strategy__in=same).values("pk"), PROJECT_ACTIONS),
            (
                Consultation,
                Consultation.objects.filter(Q(programme__strategy__in=same) | Q(plan__strategies__in=same)).values(
                    "pk"
                ),
                (OPENED, REPORTED),
            ),
        ]
        events.append(
            (Proposal, Proposal.objects.published().filter(strategy__in=same).values("pk"), PROPOSAL_PUBLISHED)
        )
        if obj.commission_id:
            events.append(
                (Resolution, Resolution.objects.filter(body=obj.commission_id).values("pk"), ("resolution_recorded",))
            )
        indicators = Indicator.objects.published().filter(goals__objective__strategy=obj).values("pk")
        return Scope(events, Q(indicator__in=indicators))
    if kind == FollowKind.PROGRAMME:
        return Scope(
            [
                (Programme, Programme.objects.filter(code=obj.code).values("pk"), (PUBLISHED,)),
                (Project, public_projects.filter(programme__code=obj.code).values("pk"), PROJECT_ACTIONS),
                (Consultation, Consultation.objects.filter(programme__code=obj.code).values("pk"), (OPENED, REPORTED)),
            ],
            None,
        )
    if kind == FollowKind.PROJECT:
        return Scope([(Project, public_projects.filter(pk=obj.pk).values("pk"), PROJECT_ACTIONS)], None)
    if kind == FollowKind.BODY:
        return Scope([(Resolution, Resolution.objects.filter(body=obj).values("pk"), ("resolution_recorded",))], None)
    if kind == FollowKind.INDICATOR:
        return Scope([], Q(indicator=obj))
    return Scope(
        [
            (Project, public_projects.filter(territory=obj).values("pk"), PROJECT_ACTIONS),
            (
                Proposal,
                Proposal.objects.published().filter(Q(territory=obj) | Q(territory__parent=obj)).values("pk"),
                PROPOSAL_PUBLISHED,
            ),
        ],
        Q(territory=obj, indicator__in=Indicator.objects.published().values("pk")),
    )


def changes(
    kind: str, obj: Any, *, since: datetime.datetime | None = None, until: datetime.datetime, limit: int = 200
) -> list[Change]:
    """The public changes of ``obj`` in [since, until), newest first: a fixed number of queries (the events, one per
    kind of subject named, the observations)."""
    found = scope(kind, obj)
    period = Q(created_at__lt=until) & (Q(created_at__gte=since) if since else Q())
    wanted = Q(pk__in=[])
    for model, ids, actions in found.events:
        wanted |= Q(content_type=ContentType.objects.get_for_model(model), object_id__in=ids, action__in=actions)
    events = list(Event.objects.filter(period & wanted).order_by("-created_at", "-id")[:limit])
    result = _describe_events(events)
    if found.observations is not None:
        result += _new_observations(found.observations, since, until)
    result.sort(key=lambda change: change.when, reverse=True)
    return result[:limit]


def _describe_events(events: list[Event]) -> list[Change]:
    ids: dict[int, set[int]] = defaultdict(set)
    for event in events:
        ids[event.content_type_id].add(event.object_id)
    related = {
        Programme: ("strategy",),
        Resolution: ("body", "session"),
        Proposal: ("call", "territory"),
    }
    subjects: dict[tuple[int, int], Any] = {}
    for content_type_id, pks in ids.items():
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        assert model is not None
        queryset = model._default_manager.select_related(*related.get(model, ()))
        subjects.update({(content_type_id, pk): obj for pk, obj in queryset.in_bulk(pks).items()})
    result = []
    for event in events:
        subject = subjects.get((event.content_type_id, event.object_id))
        if subject is not None:
            text, url = _describe(event, subject)
            result.append(Change(when=event.created_at, text=text, url=url, key=f"evento-{event.pk}"))
    return result


def _describe(event: Event, subject: Any) -> tuple[str, str]:
    if isinstance(subject, StrategicPlan):
        return _("Se publicó el plan «%(name)s», versión %(version)s.") % {
            "name": subject,
            "version": subject.version,
        }, reverse("planning:plan_public")
    if isinstance(subject, Programme):
        return _("Se publicó el programa «%(name)s», versión %(version)s.") % {
            "name": subject.name,
            "version": subject.version,
        }, _programme_url(subject)
    if isinstance(subject, Project):
        url = reverse("projects:project_detail", args=[subject.slug])
        if event.action == "progress_reported":
            return _("El proyecto «%(name)s» informó su avance: %(progress)s %%.") % {
                "name": subject.title,
                "progress": event.to_state,
            }, url
        return _("El proyecto «%(name)s» cambió de etapa: %(status)s.") % {
            "name": subject.title,
            "status": subject.get_status_display(),
        }, url
    if isinstance(subject, Resolution):
        return _("%(body)s tomó el acuerdo %(number)s/%(year)s.") % {
            "body": subject.body,
            "number": subject.number,
            "year": subject.year,
        }, reverse("councils:session_detail", args=[subject.body.slug, subject.session.number])
    if isinstance(subject, Proposal):
        return _("Nueva propuesta ciudadana «%(title)s» en %(place)s.") % {
            "title": subject.title,
            "place": subject.territory.name,
        }, reverse("consultations:proposal_detail", args=[subject.call.slug, subject.pk])
    if event.action == REPORTED:
        return _("Se publicó el informe de la consulta pública «%(title)s».") % {"title": subject}, reverse(
            "consultations:report", args=[subject.slug]
        )
    return _("Se abrió la consulta pública «%(title)s».") % {"title": subject}, reverse(
        "consultations:detail", args=[subject.slug]
    )


def _new_observations(where: Q, since: datetime.datetime | None, until: datetime.datetime) -> list[Change]:
    """One change per indicator: how many observations were added in the period."""
    added = Observation.history.filter(where, history_type="+", history_date__lt=until)
    if since:
        added = added.filter(history_date__gte=since)
    rows = (
        added.values("indicator").annotate(count=Count("history_id"), last=Max("history_date")).order_by("-last")[:50]
    )
    rows = list(rows)
    indicators = Indicator.objects.in_bulk([row["indicator"] for row in rows])
    return [
        Change(
            when=row["last"],
            text=_("%(count)s observaciones nuevas del indicador «%(name)s».")
            % {"count": row["count"], "name": indicators[row["indicator"]].name},
            url=reverse("indicators:indicator_detail", args=[indicators[row["indicator"]].slug]),
            key=f"observaciones-{row['indicator']}-{row['last'].isoformat()}",
        )
        for row in rows
        if row["indicator"] in indicators
    ]
