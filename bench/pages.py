"""The pages the benchmarks measure, found in the demo data, and the open vote the workspace scenario needs.

Call after ``django.setup()`` against a database with the demo loaded (``bench/public_load.py``, ``bench/frontend.py``
and ``bench/profile_page.py`` share it).
"""

from __future__ import annotations

import contextlib
import datetime
import io
from dataclasses import dataclass

PASSWORD_ENV = "DEMO_PASSWORD"


def public_pages() -> dict[str, str]:
    """One page of each public type, with real objects of the demo (name → path)."""
    from councils.models import Body, Session, SessionState
    from indicators.models import Indicator
    from planning.models import Budget, Strategy
    from projects.models import Project

    strategy = Strategy.objects.of_published_plans().order_by("number").first()
    budget = Budget.objects.published().select_related("fiscal_year").order_by("-fiscal_year__year").first()
    indicator = Indicator.objects.published().order_by("code").first()
    body = Body.objects.get(slug="consejo-consultivo")
    session = Session.objects.filter(state=SessionState.CLOSED).select_related("body").order_by("-number").first()
    project = Project.objects.public().order_by("code").first()
    return {
        "home": "/",
        "plan": "/plan/",
        "strategy": f"/plan/estrategias/{strategy.slug}/",
        "portfolio": "/proyectos/",
        "project": f"/proyectos/{project.slug}/",
        "budget year": f"/presupuesto/{budget.fiscal_year.year}/",
        "budget CONAC": f"/presupuesto/{budget.fiscal_year.year}/clasificaciones/",
        "budget lines": f"/presupuesto/{budget.fiscal_year.year}/lineas/",
        "indicators": "/indicadores/",
        "indicator": f"/indicadores/{indicator.slug}/",
        "body": f"/organos/{body.slug}/",
        "session": f"/organos/{session.body.slug}/sesiones/{session.number}/",
    }


@dataclass
class OpenVote:
    session_pk: int
    motion_pk: int
    secretary: str
    members: list[str]  # usernames of the voting members present


def open_vote() -> OpenVote:
    """A session of the Consejo Consultivo under way now, everyone present, with a vote open on its first item.

    Made through the councils' own services (as the demo records its sessions); reused if one is already open.
    """
    from django.contrib.auth import get_user_model
    from django.db import transaction
    from django.utils import timezone

    from councils.models import AgendaItemKind, AttendanceStatus, Body, Motion
    from councils.services import sessions as session_services
    from councils.services import votes as vote_services

    body = Body.objects.get(slug="consejo-consultivo")
    secretary = get_user_model().objects.get(username="secretario")
    motion = Motion.objects.filter(agenda_item__session__body=body, closed_at__isnull=True).first()
    if motion is None:
        with (
            transaction.atomic(),
            contextlib.redirect_stdout(io.StringIO()),
        ):  # the convocation e-mails go to the console backend
            session = session_services.session_convene(
                actor=secretary,
                body=body,
                scheduled_at=timezone.now() - datetime.timedelta(minutes=5),
                place="Sala de juntas del IMPLAN (banco de pruebas)",
                agenda=[
                    session_services.AgendaEntry(
                        title="Opinión sobre el programa de movilidad (banco)", kind=AgendaItemKind.DECISION
                    )
                ],
                late_reason="Sesión del banco de pruebas.",
            )
            voting = list(session_services.session_voting_members(session))
            session_services.session_record_attendance(
                actor=secretary, session=session, statuses={m.pk: AttendanceStatus.PRESENT for m in voting}
            )
            item = session.agenda_items.order_by("order").first()
            motion = vote_services.motion_open(actor=secretary, item=item, text=item.title)
    session = motion.agenda_item.session
    members = [
        m.person.user.username
        for m in session_services.session_voting_members(session).select_related("person__user")
        if m.person.user_id
    ]
    return OpenVote(session.pk, motion.pk, secretary.username, sorted(members))


def workspace_pages(vote: OpenVote) -> dict[str, tuple[str, str]]:
    """Logged-in pages (name → (username, path)): a member's home, the session during the vote, plan, budget lines."""
    from planning.models import Budget

    budget = Budget.objects.order_by("-fiscal_year__year", "-version").first()
    member = vote.members[0]
    return {
        "member's home": (member, "/espacio/"),
        "session during a vote": (member, f"/espacio/sesiones/{vote.session_pk}/"),
        "live vote count (polled)": (member, f"/espacio/votaciones/{vote.motion_pk}/conteo/"),
        "plan workspace": ("planeador", "/espacio/plan/"),
        "budget's lines": ("planeador", f"/espacio/presupuestos/{budget.pk}/"),
    }
