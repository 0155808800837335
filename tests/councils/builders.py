"""Small worlds for council tests: a body with members who have accounts, a session in progress."""

import datetime
from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import timezone
from guardian.shortcuts import assign_perm

from councils.models import AgendaItemKind, AttendanceStatus, Body, BodyKind, Membership, Sector, Session
from councils.services import sessions as session_services
from implan import roles
from tests.factories import BodyFactory, MembershipFactory, PersonFactory, UserFactory


@dataclass
class Council:
    body: Body
    secretary: object
    members: list[Membership] = field(default_factory=list)

    def user(self, index: int) -> object:
        return self.members[index].person.user


def council(
    *,
    size: int = 25,
    slug: str = "consejo-consultivo",
    seat_limit: int | None = 25,
    kind: str = BodyKind.CONSULTATIVE_COUNCIL,
) -> Council:
    body = BodyFactory(
        name=f"Órgano {slug}",
        slug=slug,
        kind=kind,
        seat_limit=seat_limit,
        renewal_period_years=3,
        renewal_min_continuity_percent=Decimal("50"),
    )
    secretary = UserFactory(username=f"secretario-{slug}", roles=[roles.TECHNICAL_SECRETARY])
    assign_perm("councils.manage_sessions", secretary, body)
    assign_perm("councils.manage_memberships", secretary, body)
    members = []
    for n in range(1, size + 1):
        user = UserFactory(username=f"{slug}-{n:02d}", roles=[roles.COUNCIL_MEMBER])
        person = PersonFactory(user=user, name=f"Integrante {n:02d} de {slug}")
        members.append(
            MembershipFactory(person=person, body=body, sector=Sector.CITIZEN, start_date=datetime.date(2024, 1, 1))
        )
    return Council(body=body, secretary=secretary, members=members)


def session_in_progress(
    c: Council, *, present: int, qualified: bool = False, subject: object = None, when: datetime.datetime | None = None
) -> Session:
    session = session_services.session_convene(
        actor=c.secretary,
        body=c.body,
        scheduled_at=when or timezone.now(),
        place="Sala de cabildo",
        late_reason="Sesión de prueba",
        agenda=[
            session_services.AgendaEntry(
                title="Asunto a votar",
                kind=AgendaItemKind.DECISION,
                requires_qualified_majority=qualified,
                subject=subject,
            )
        ],
    )
    statuses = {
        m.pk: (AttendanceStatus.PRESENT if i < present else AttendanceStatus.ABSENT) for i, m in enumerate(c.members)
    }
    session_services.session_record_attendance(actor=c.secretary, session=session, statuses=statuses)
    return session
