"""Permission rows of the councils app: public record, workspace pages and one-shot actions.

The consejero of this world is a member of the body; the secretario is its technical secretary.
"""

from __future__ import annotations

import datetime
import io
from typing import Any

from django.utils import timezone
from guardian.shortcuts import assign_perm

from councils.models import AgendaItemKind, AttendanceStatus, BodyKind, Sector
from councils.services import documents as document_services
from councils.services import minutes as minutes_services
from councils.services import notices
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from tests.councils.builders import council, session_in_progress
from tests.factories import MembershipFactory
from tests.permissions.matrix import (
    DONE,
    FORBIDDEN,
    LOGIN,
    NOT_FOUND,
    OK,
    Row,
    World,
    everyone,
    fixed,
    logged_in,
    url,
)
from tests.projects.samples import JPEG


def build(world: World) -> None:
    consultative = council(size=3, slug="consejo-consultivo")
    ayuntamiento = council(size=2, slug="ayuntamiento", kind=BodyKind.AYUNTAMIENTO, seat_limit=None)
    # A body sits in one session at a time: the concluded one first, then the one in progress.
    closed = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=consultative.secretary,
        body=consultative.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    session_services.session_record_attendance(
        actor=consultative.secretary,
        session=closed,
        statuses={m.pk: AttendanceStatus.PRESENT for m in consultative.members},
    )
    session_services.session_close(actor=consultative.secretary, session=closed)
    session = session_in_progress(consultative, present=3)
    item = session.agenda_items.get()
    motion = vote_services.motion_open(actor=consultative.secretary, item=item, text="Se aprueba")
    minutes = minutes_services.minutes_draft(actor=consultative.secretary, session=closed, text="Acta")
    upcoming = session_services.session_convene(
        actor=consultative.secretary,
        body=consultative.body,
        scheduled_at=timezone.now() + datetime.timedelta(days=10),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    world.objects.update(upcoming=upcoming, rsvp=notices.rsvp_token(upcoming, consultative.members[2].person))
    convened = session_services.session_convene(
        actor=consultative.secretary,
        body=consultative.body,
        scheduled_at=timezone.now() + timezone.timedelta(days=7),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe")],
    )
    world.users.update(consejero=consultative.user(0), secretario=consultative.secretary, regidor=ayuntamiento.user(0))
    world.objects.update(_private_session(consultative))
    world.objects.update(
        body=consultative.body,
        session=session,
        item=item,
        motion=motion,
        closed=closed,
        convened=convened,
        minutes=minutes,
        member=consultative.members[1],
        secretary=consultative.secretary,
    )


def _private_session(consultative: Any) -> dict[str, Any]:
    """A private body (its sessions, documents and packet for its members only) where the world's consejero sits
    and its secretario conducts; its session has started, so documents neither come nor go (a refusal: 302)."""
    internal = council(size=1, slug="comision-interna", kind=BodyKind.TECHNICAL_STAFF, seat_limit=None)
    internal.body.is_public = False
    internal.body.save()
    MembershipFactory(
        person=consultative.members[0].person,
        body=internal.body,
        sector=Sector.CITIZEN,
        start_date=datetime.date(2024, 1, 1),
    )
    assign_perm("councils.manage_sessions", consultative.secretary, internal.body)
    session = session_services.session_convene(
        late_reason="Sesión de prueba",
        actor=consultative.secretary,
        body=internal.body,
        scheduled_at=timezone.now(),
        place="Sala",
        agenda=[session_services.AgendaEntry(title="Informe", kind=AgendaItemKind.DECISION)],
    )
    item = session.agenda_items.get()
    document = document_services.agenda_document_add(
        actor=consultative.secretary, item=item, upload=io.BytesIO(JPEG), name="foto.jpg", size=len(JPEG)
    )
    session_services.session_record_attendance(
        actor=consultative.secretary,
        session=session,
        statuses={m.pk: AttendanceStatus.PRESENT for m in session_services.session_members(session)},
    )
    return {"private_session": session, "private_item": item, "private_document": document}


# Seen by the body's members and whoever manages it; others get 404.
BODY_VIEW = logged_in(NOT_FOUND, consejero=OK, secretario=OK, administrador=OK)
# Managing the body: members see it but may not (403).
BODY_MANAGE_PAGE = logged_in(NOT_FOUND, consejero=FORBIDDEN, secretario=OK, administrador=OK)
BODY_MANAGE_ACTION = logged_in(NOT_FOUND, consejero=FORBIDDEN, secretario=DONE, administrador=DONE)

ROWS: dict[str, Row] = {
    "councils:body_list": Row(fixed("councils:body_list"), everyone(OK)),
    "councils:body_detail": Row(url("councils:body_detail", "body", attr="slug"), everyone(OK)),
    "councils:session_detail": Row(
        lambda o: fixed("councils:session_detail", o["body"].slug, o["session"].number)(o), everyone(OK)
    ),
    "councils:popolo": Row(fixed("councils:popolo"), everyone(OK)),
    "councils:sessions_ics": Row(fixed("councils:sessions_ics"), everyone(OK)),
    "councils:bodies_csv": Row(fixed("councils:bodies_csv"), everyone(OK)),
    "councils:members_csv": Row(fixed("councils:members_csv"), everyone(OK)),
    "councils:resolutions_csv": Row(fixed("councils:resolutions_csv"), everyone(OK)),
    "councils:workspace_bodies": Row(fixed("councils:workspace_bodies"), logged_in(OK)),
    "councils:workspace_body": Row(url("councils:workspace_body", "body", attr="slug"), BODY_VIEW),
    "councils:membership_add": Row(url("councils:membership_add", "body", attr="slug"), BODY_MANAGE_PAGE),
    "councils:body_renew": Row(url("councils:body_renew", "body", attr="slug"), BODY_MANAGE_PAGE),
    # Voting rules are administration's: the body's own secretary and members see the body but may not set them.
    "councils:body_voting_rules": Row(
        url("councils:body_voting_rules", "body", attr="slug"),
        logged_in(NOT_FOUND, consejero=FORBIDDEN, secretario=FORBIDDEN, administrador=OK),
    ),
    # The body's technical secretary is named by the administration: its members and its own secretary see the body
    # but may not (403).
    "councils:body_secretaries": Row(
        url("councils:body_secretaries", "body", attr="slug"),
        logged_in(NOT_FOUND, consejero=FORBIDDEN, secretario=FORBIDDEN, administrador=OK),
    ),
    "councils:body_secretary_revoke": Row(
        lambda o: fixed("councils:body_secretary_revoke", o["body"].slug, o["secretary"].pk)(o),
        logged_in(NOT_FOUND, consejero=FORBIDDEN, secretario=FORBIDDEN, administrador=DONE),
        method="post",
    ),
    "councils:session_convene": Row(url("councils:session_convene", "body", attr="slug"), BODY_MANAGE_PAGE),
    "councils:membership_end": Row(url("councils:membership_end", "member"), BODY_MANAGE_PAGE),
    "councils:membership_change": Row(url("councils:membership_change", "member"), BODY_MANAGE_PAGE),
    "councils:workspace_session": Row(url("councils:workspace_session", "session"), BODY_VIEW),
    "councils:session_attendance": Row(
        url("councils:session_attendance", "session"), BODY_MANAGE_ACTION, method="post"
    ),
    # Confirmed; unconfirmed, concluding only shows what it would do (200).
    "councils:session_close": Row(
        url("councils:session_close", "session"), BODY_MANAGE_ACTION, method="post", data={"confirmed": "on"}
    ),
    # The page that says what cancelling does and asks the reason.
    "councils:session_cancel": Row(url("councils:session_cancel", "convened"), BODY_MANAGE_PAGE),
    # An unknown subject: refused with a message, back to the desk (302), nothing added.
    "councils:agenda_subject_add": Row(
        url("councils:agenda_subject_add", "convened"), BODY_MANAGE_ACTION, method="post", data={"asunto": "x:1"}
    ),
    # The live count of an open vote: whoever sees the session.
    "councils:vote_count": Row(url("councils:vote_count", "motion"), BODY_VIEW),
    "councils:minutes_save": Row(
        url("councils:minutes_save", "closed"), BODY_MANAGE_ACTION, method="post", data={"text": "Acta corregida"}
    ),
    "councils:motion_open": Row(url("councils:motion_open", "item"), BODY_MANAGE_ACTION, method="post"),
    "councils:vote_cast": Row(
        url("councils:vote_cast", "motion"),
        logged_in(NOT_FOUND, consejero=DONE, secretario=DONE, administrador=DONE),
        method="post",
        data={"option": "a_favor"},
    ),
    # Confirmed: nobody has voted yet, so an unconfirmed close would only ask again (200).
    "councils:motion_close": Row(
        url("councils:motion_close", "motion"), BODY_MANAGE_ACTION, method="post", data={"confirmed": "on"}
    ),
    "councils:minutes_publish": Row(url("councils:minutes_publish", "minutes"), BODY_MANAGE_ACTION, method="post"),
    # The e-mail's signed link answers for the member it names, whoever opens it (no account needed).
    "councils:rsvp": Row(lambda o: fixed("councils:rsvp", o["rsvp"])(o), everyone(OK)),
    "councils:session_reply": Row(
        url("councils:session_reply", "upcoming"),
        logged_in(NOT_FOUND, consejero=DONE, secretario=DONE, administrador=DONE),
        method="post",
        data={"answer": "asistire"},
    ),
    "councils:session_reschedule": Row(url("councils:session_reschedule", "upcoming"), BODY_MANAGE_PAGE),
    "councils:body_notice_periods": Row(
        url("councils:body_notice_periods", "body", attr="slug"),
        logged_in(NOT_FOUND, consejero=FORBIDDEN, secretario=FORBIDDEN, administrador=OK),
    ),
    # A private body's document and packet: its members, its secretary and administrators; nobody else may know they
    # exist (404, also without logging in for a document; the short link sends to the login page).
    "councils:agenda_document": Row(
        url("councils:agenda_document", "private_document"), {**BODY_VIEW, "anonimo": NOT_FOUND}
    ),
    "councils:session_packet": Row(url("councils:session_packet", "private_session"), BODY_VIEW),
    "councils:packet_public": Row(url("councils:packet_public", "private_session"), {**BODY_VIEW, "anonimo": LOGIN}),
    "councils:packet_public_pdf": Row(
        url("councils:packet_public_pdf", "private_session"), {**BODY_VIEW, "anonimo": LOGIN}
    ),
    # Attaching, removing and freezing again: the body's secretary (refused once the session started: 302).
    "councils:agenda_document_add": Row(
        url("councils:agenda_document_add", "private_item"), BODY_MANAGE_ACTION, method="post"
    ),
    "councils:agenda_document_remove": Row(
        url("councils:agenda_document_remove", "private_document"), BODY_MANAGE_ACTION, method="post"
    ),
    "councils:agenda_item_refreeze": Row(
        url("councils:agenda_item_refreeze", "private_item"), BODY_MANAGE_ACTION, method="post"
    ),
}
