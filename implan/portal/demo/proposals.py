"""An open call for citizen proposals in two delegaciones, with proposals in every state: held, rejected with its
reason, published, accepted for assessment, under assessment, not viable, and one in the portfolio. Fictional
people; their e-mails are private."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from consultations import proposals as services
from consultations.models import ProposalCall, ProposalState, RejectionReason
from implan.models import Agency, Territory, TerritoryKind
from planning.models import StrategicPlan
from projects import services as project_services
from projects.models import Project, ProjectStatus, ScoringCriterion
from projects.services import ProjectData

SLUG = "propuestas-para-mi-colonia-2026"
RULES = (
    "Proponga un proyecto para su colonia en las delegaciones que abre esta convocatoria.\n\n"
    "- Marque el lugar en el mapa y describa el problema y lo que propone.\n"
    "- Las propuestas se publican después de moderarlas; después el cuerpo técnico las valora y las viables se "
    "incorporan a la cartera de proyectos."
)
# (title, name, description, steps): the steps after submitting, in order; a RejectionReason rejects it.
PROPOSALS: list[tuple[str, str, str, list[Any]]] = [
    (
        "Parque de bolsillo en el baldío de la calle Río Mayo",
        "Colectivo Río Mayo",
        "Un baldío lleno de basura; proponemos bancas, árboles y juegos.",
        [True, ProposalState.FOR_ASSESSMENT, ProposalState.UNDER_ASSESSMENT, ProposalState.IN_PORTFOLIO],
    ),
    (
        "Cruce seguro frente a la primaria",
        "Madres de la primaria Hidalgo",
        "Los niños cruzan el bulevar sin semáforo.",
        [True, ProposalState.FOR_ASSESSMENT, ProposalState.UNDER_ASSESSMENT],
    ),
    (
        "Luminarias en el andador",
        "Don Chema",
        "El andador queda oscuro desde las siete.",
        [True, ProposalState.FOR_ASSESSMENT],
    ),
    ("Ciclovía hasta el centro", "Ana", "Una ciclovía protegida por la avenida.", [True]),
    (
        "Helipuerto comunitario",
        "Vecino curioso",
        "Un helipuerto en el jardín.",
        [True, (ProposalState.NOT_VIABLE, "El jardín es área verde protegida y el uso no es municipal.")],
    ),
    ("¡Venta de lotes!", "Inmobiliaria", "Compre su lote hoy.", [RejectionReason.ADVERTISING]),
    ("Bebedero en el parque", "Lucía", "Falta agua potable en el parque.", []),
]


def build_proposals(*, planner: Any, plan: StrategicPlan) -> None:
    if ProposalCall.objects.filter(slug=SLUG).exists():
        return
    delegations = list(Territory.objects.filter(kind=TerritoryKind.DELEGACION).order_by("name")[:2])
    strategies = list(plan.strategies.order_by("number")[:3])
    today = timezone.localdate()
    call = services.call_create(
        actor=planner,
        title="Propuestas para mi colonia 2026",
        rules=RULES,
        starts_on=today - datetime.timedelta(days=7),
        ends_on=today + datetime.timedelta(days=21),
        territories=delegations,
        strategies=strategies,
    )
    call.slug = SLUG
    call.save()
    services.call_open(actor=planner, call=call)
    for n, (title, name, description, steps) in enumerate(PROPOSALS, start=1):
        territory = delegations[n % len(delegations)]
        cache.clear()  # the demo's proposals are not a robot's
        proposal = services.proposal_submit(
            actor=None,
            call=call,
            title=title,
            description=description,
            author_name=name,
            territory=territory,
            strategy=strategies[n % len(strategies)],
            latitude=(territory.latitude or Decimal("21.122")) + Decimal(n) / 1000,
            longitude=(territory.longitude or Decimal("-101.684")) - Decimal(n) / 1000,
            email=f"proponente{n}@correo-privado.example",
        )
        _take_steps(planner, proposal, steps)


def _take_steps(planner: Any, proposal: Any, steps: list[Any]) -> None:
    for step in steps:
        if step is True:
            proposal = services.proposal_moderate(actor=planner, proposal=proposal, accept=True)
        elif step in RejectionReason.values:
            proposal = services.proposal_moderate(actor=planner, proposal=proposal, accept=False, reason=step)
        elif step == ProposalState.IN_PORTFOLIO:
            proposal = services.proposal_to_project(actor=planner, proposal=proposal)
            _into_the_portfolio(planner, proposal.project)
        elif isinstance(step, tuple):
            proposal = services.proposal_advance(actor=planner, proposal=proposal, to=step[0], reason=step[1])
        else:
            proposal = services.proposal_advance(actor=planner, proposal=proposal, to=step)


def _into_the_portfolio(planner: Any, project: Project) -> None:
    """The project the proposal became goes through the portfolio's own steps (agency, assessment, entry), so the
    demo shows the two pages naming each other."""
    data = ProjectData(
        title=project.title,
        problem=project.problem,
        strategy=project.strategy,
        territory=project.territory,
        latitude=project.latitude,
        longitude=project.longitude,
        agency=Agency.objects.order_by("pk").first(),
    )
    project = project_services.project_update(actor=planner, project=project, data=data, reason="Datos de demostración")
    ratings = {criterion.pk: 80 for criterion in ScoringCriterion.objects.filter(is_active=True)}
    project_services.project_assess(actor=planner, project=project, ratings=ratings)
    project_services.project_transition(actor=planner, project=project, to=ProjectStatus.IN_PORTFOLIO)
