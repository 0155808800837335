"""A call for citizen proposals on a published plan's strategy, and proposals in it, for each test to take further."""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.core.cache import cache
from django.utils import timezone

from consultations import proposals as services
from consultations.models import Proposal, ProposalCall
from implan.models import LifecycleState, TerritoryKind
from tests.factories import (
    MunicipalityFactory,
    StrategicPlanFactory,
    StrategyFactory,
    TerritoryFactory,
    VertienteFactory,
)

RULES = "Proponga proyectos para su colonia. Las propuestas se moderan antes de publicarse."
# Inside León's box (settings.MUNICIPALITY_BBOX), near the centre.
INSIDE = (Decimal("21.122000"), Decimal("-101.684000"))


def call_world(
    planner: Any, *, slug: str = "convocatoria-2026", days_left: int = 10, open_it: bool = True
) -> ProposalCall:
    municipality = MunicipalityFactory()
    delegation = TerritoryFactory(
        name="Delegación Centro", kind=TerritoryKind.DELEGACION, code=f"del-{slug}", parent=municipality
    )
    TerritoryFactory(name="Colonia Obregón", code=f"col-obregon-{slug}", parent=delegation)
    TerritoryFactory(name="Colonia Lejana", code=f"col-lejana-{slug}", parent=municipality)
    plan = StrategicPlanFactory(state=LifecycleState.PUBLISHED, slug=f"plan-{slug}")
    strategy = StrategyFactory(vertiente=VertienteFactory(plan=plan), plan=plan, name="Hábitat", slug=f"habitat-{slug}")
    StrategyFactory(vertiente=strategy.vertiente, plan=plan, name="Salud y Deporte", slug=f"salud-{slug}")
    today = timezone.localdate()
    call = services.call_create(
        actor=planner,
        title="Propuestas para mi colonia 2026",
        rules=RULES,
        starts_on=today - datetime.timedelta(days=1),
        ends_on=today + datetime.timedelta(days=days_left),
        territories=[delegation],
        strategies=[strategy],
    )
    call.slug = slug
    call.save()
    return services.call_open(actor=planner, call=call) if open_it else call


def propose(call: ProposalCall, *, n: int = 0, **fields: Any) -> Proposal:
    cache.clear()  # each proposal from a fresh address and session: the rate limit is tested on its own
    territory = call.territories.get().children.get()
    data = {
        "title": f"Parque de bolsillo {n}",
        "description": f"Un parque pequeño en el baldío de la calle {n}.",
        "author_name": f"Vecina {n}",
        "territory": territory,
        "strategy": call.strategies.get(),
        "latitude": INSIDE[0],
        "longitude": INSIDE[1],
        "email": f"proponente{n}@correo-privado.example",
        **fields,
    }
    return services.proposal_submit(actor=None, call=call, address=f"10.1.0.{n}", session_key=f"p{n}", **data)
