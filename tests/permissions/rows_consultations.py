"""Permission rows of the consultations: public pages (open and reported consultations) and the planners'
workspace (404 for everyone else: a consultation in preparation is not theirs to know of)."""

from __future__ import annotations

import datetime
from collections.abc import Callable
from typing import Any

from django.urls import reverse
from django.utils import timezone

from consultations import proposals as proposal_services
from consultations import services, subscriptions
from consultations.models import FollowKind, ProposalState, Sector, Verdict
from implan.models import LifecycleState
from tests.consultations.builders import close, comment, draft_consultation, open_consultation
from tests.consultations.proposal_builders import call_world, propose
from tests.factories import StrategicPlanFactory, StrategyFactory, VertienteFactory
from tests.permissions.matrix import DONE, NOT_FOUND, OK, Row, World, everyone, fixed, logged_in, url


def build(world: World) -> None:
    planner = world.users["planeador"]
    running = open_consultation(planner, slug="abierta")
    held = comment(running, n=1)
    reported = open_consultation(planner, slug="con-informe")
    accepted = services.comment_moderate(actor=planner, comment=comment(reported, n=2), accept=True)
    close(reported, planner)
    forum = services.forum_record(
        actor=planner,
        consultation=reported,
        title="Foro",
        held_on=timezone.localdate() - datetime.timedelta(days=2),
        place="Centro",
        attendance={Sector.CITIZENS: 10},
    )
    contribution = services.contribution_add(
        actor=planner,
        forum=forum,
        section=reported.sections.first(),
        sector=Sector.CITIZENS,
        participant="",
        place="",
        text="Más parques",
    )
    services.answer_give(actor=planner, comment=accepted, verdict=Verdict.ACCEPTED, reason="Sí")
    services.answer_give(actor=planner, contribution=contribution, verdict=Verdict.ACCEPTED, reason="Sí")
    services.report_publish(actor=planner, consultation=reported)
    closed = open_consultation(planner, slug="cerrada")
    closed_comment = services.comment_moderate(actor=planner, comment=comment(closed, n=3), accept=True)
    close(closed, planner)
    closed_forum = services.forum_record(
        actor=planner, consultation=closed, title="Foro 2", held_on=timezone.localdate(), place="Sala", attendance={}
    )
    closed_contribution = services.contribution_add(
        actor=planner,
        forum=closed_forum,
        section=closed.sections.first(),
        sector=Sector.OTHER,
        participant="",
        place="",
        text="Otra",
    )
    draft = draft_consultation(planner, slug="borrador-consulta")
    world.objects.update(
        running=running,
        reported=reported,
        held=held,
        forum=closed_forum,
        draft=draft,
        closed=closed,
        closed_comment=closed_comment,
        closed_contribution=closed_contribution,
        section=running.sections.first(),
        due=open_consultation(planner, slug="vencida"),
    )
    plan = StrategicPlanFactory(state=LifecycleState.PUBLISHED, slug="plan-seguido")
    followed = StrategyFactory(vertiente=VertienteFactory(plan=plan), plan=plan, slug="estrategia-seguida")
    subscription = subscriptions.subscription_request(
        email="seguidora@ejemplo.mx", kind=FollowKind.STRATEGY, obj=followed, frequency="diaria"
    )
    call = call_world(planner, slug="convocatoria-matriz")
    published = proposal_services.proposal_moderate(actor=planner, proposal=propose(call, n=1), accept=True)
    assessed = proposal_services.proposal_moderate(actor=planner, proposal=propose(call, n=2), accept=True)
    proposal_services.proposal_advance(actor=planner, proposal=assessed, to=ProposalState.FOR_ASSESSMENT)
    proposal_services.proposal_advance(actor=planner, proposal=assessed, to=ProposalState.UNDER_ASSESSMENT)
    world.objects.update(
        call=call,
        draft_call=call_world(planner, slug="convocatoria-borrador", open_it=False),
        held_proposal=propose(call, n=3),
        published_proposal=published,
        assessed_proposal=assessed,
    )
    world.objects.update(
        followed=followed,
        confirm_token=subscriptions.confirm_token(subscription, "diaria"),
        cancel_token=subscriptions.cancel_token(subscription),
    )


PLANNERS = logged_in(NOT_FOUND, planeador=OK, administrador=OK)
PLANNERS_ACT = logged_in(NOT_FOUND, planeador=DONE, administrador=DONE)
ANSWER = {"verdict": Verdict.PARTLY, "reason": "En parte"}


def _follow(name: str) -> Callable[[dict[str, Any]], str]:
    return lambda objects: reverse(name, args=[FollowKind.STRATEGY, objects["followed"].pk])


def _token(name: str, key: str) -> Callable[[dict[str, Any]], str]:
    return lambda objects: reverse(name, args=[objects[key]])


def _proposal(objects: dict[str, Any]) -> str:
    proposal = objects["published_proposal"]
    return reverse("consultations:proposal_detail", args=[proposal.call.slug, proposal.pk])


ROWS: dict[str, Row] = {
    # Citizen proposals: public pages need no account; the workspace is the planners' (404 for everyone else).
    "consultations:call_list": Row(fixed("consultations:call_list"), everyone(OK)),
    "consultations:call_detail": Row(url("consultations:call_detail", "call", attr="slug"), everyone(OK)),
    "consultations:call_geojson": Row(url("consultations:call_geojson", "call", attr="slug"), everyone(OK)),
    "consultations:proposal_detail": Row(_proposal, everyone(OK)),
    "consultations:proposals_json": Row(fixed("consultations:proposals_json"), everyone(OK)),
    "consultations:proposals_csv": Row(fixed("consultations:proposals_csv"), everyone(OK)),
    "consultations:call_workspace_list": Row(fixed("consultations:call_workspace_list"), PLANNERS),
    "consultations:call_create": Row(fixed("consultations:call_create"), PLANNERS),
    "consultations:call_workspace": Row(url("consultations:call_workspace", "call"), PLANNERS),
    "consultations:call_edit": Row(url("consultations:call_edit", "draft_call"), PLANNERS),
    "consultations:call_open": Row(url("consultations:call_open", "draft_call"), PLANNERS_ACT, method="post"),
    # Before the end of its period: refused, a redirect with the message.
    "consultations:call_close": Row(url("consultations:call_close", "call"), PLANNERS_ACT, method="post"),
    "consultations:proposal_moderate": Row(
        url("consultations:proposal_moderate", "held_proposal"),
        PLANNERS_ACT,
        method="post",
        data={"decision": "aceptar"},
    ),
    "consultations:proposal_step": Row(
        url("consultations:proposal_step", "published_proposal"),
        PLANNERS_ACT,
        method="post",
        data={"to": ProposalState.FOR_ASSESSMENT},
    ),
    "consultations:proposal_to_project": Row(
        url("consultations:proposal_to_project", "assessed_proposal"), PLANNERS_ACT, method="post"
    ),
    # Following needs no account: the form, the feed, and the signed links from the e-mails.
    "consultations:follow": Row(_follow("consultations:follow"), everyone(OK)),
    "consultations:follow_feed": Row(_follow("consultations:follow_feed"), everyone(OK)),
    "consultations:subscription_confirm": Row(
        _token("consultations:subscription_confirm", "confirm_token"), everyone(OK)
    ),
    "consultations:unsubscribe": Row(_token("consultations:unsubscribe", "cancel_token"), everyone(OK)),
    "consultations:list": Row(fixed("consultations:list"), everyone(OK)),
    "consultations:detail": Row(url("consultations:detail", "running", attr="slug"), everyone(OK)),
    "consultations:report": Row(url("consultations:report", "reported", attr="slug"), everyone(OK)),
    "consultations:report_csv": Row(url("consultations:report_csv", "reported", attr="slug"), everyone(OK)),
    "consultations:report_pdf": Row(url("consultations:report_pdf", "reported", attr="slug"), everyone(OK)),
    "consultations:opendata_json": Row(fixed("consultations:opendata_json"), everyone(OK)),
    "consultations:opendata_csv": Row(fixed("consultations:opendata_csv"), everyone(OK)),
    "consultations:workspace_list": Row(fixed("consultations:workspace_list"), PLANNERS),
    "consultations:create": Row(fixed("consultations:create"), PLANNERS),
    "consultations:workspace_detail": Row(url("consultations:workspace_detail", "running"), PLANNERS),
    "consultations:edit": Row(url("consultations:edit", "draft"), PLANNERS),
    "consultations:section_add": Row(
        url("consultations:section_add", "draft"), PLANNERS_ACT, method="post", data={"title": "Otra"}
    ),
    "consultations:sections_prefill": Row(url("consultations:sections_prefill", "draft"), PLANNERS_ACT, method="post"),
    # A section of an open consultation: refused (its comments refer to it), a redirect with the message.
    "consultations:section_delete": Row(url("consultations:section_delete", "section"), PLANNERS_ACT, method="post"),
    "consultations:open": Row(url("consultations:open", "draft"), PLANNERS_ACT, method="post"),
    "consultations:close": Row(url("consultations:close", "running"), PLANNERS_ACT, method="post"),
    "consultations:moderation": Row(url("consultations:moderation", "running"), PLANNERS),
    "consultations:comment_moderate": Row(
        url("consultations:comment_moderate", "held"), PLANNERS_ACT, method="post", data={"decision": "aceptar"}
    ),
    "consultations:forum_create": Row(url("consultations:forum_create", "closed"), PLANNERS),
    "consultations:forum_detail": Row(url("consultations:forum_detail", "forum"), PLANNERS),
    "consultations:contributions_import": Row(
        url("consultations:contributions_import", "forum"), PLANNERS, method="post"
    ),
    "consultations:answers": Row(url("consultations:answers", "closed"), PLANNERS),
    "consultations:comment_answer": Row(
        url("consultations:comment_answer", "closed_comment"), PLANNERS_ACT, method="post", data=ANSWER
    ),
    "consultations:contribution_answer": Row(
        url("consultations:contribution_answer", "closed_contribution"), PLANNERS_ACT, method="post", data=ANSWER
    ),
    "consultations:report_publish": Row(url("consultations:report_publish", "closed"), PLANNERS_ACT, method="post"),
}
