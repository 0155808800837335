"""Open-data renderings of the councils' record: iCalendar of sessions."""

import datetime
import functools
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _
from icalendar import Calendar, Event, Timezone, vCalAddress

from councils.models import Session, SessionState

SESSION_LENGTH = datetime.timedelta(hours=2)


@functools.cache
def _vtimezone(tzid: str) -> Timezone:
    return Timezone.from_tzid(tzid)


def _add_timezones(calendar: Calendar) -> None:
    """``calendar.add_missing_timezones()``, with each zone's VTIMEZONE built once per process: icalendar walks every
    transition from 1970 to 2038 to build one, 80 ms of CPU each time (its documentation says to cache it)."""
    for tzid in sorted(calendar.get_missing_tzids()):
        calendar.subcomponents.insert(len(calendar.timezones), _vtimezone(tzid))


def session_uid(session: Session) -> str:
    """The event's identity, the same in the feed and in every invitation, change and cancellation e-mailed."""
    return f"sesion-{session.pk}@{settings.INSTITUTE_SHORT_NAME.lower().replace(' ', '-')}"


def session_event(session: Session, *, base_url: str, stamp: datetime.datetime | None = None) -> Event:
    """The session as an iCalendar event: one builder for the open-data feed and the e-mailed invitations."""
    event = Event()
    event.add("uid", session_uid(session))
    # Translators: calendar entry title, e.g. "Consejo Consultivo: sesión ordinaria 3".
    event.add(
        "summary",
        _("%(body)s: sesión %(kind)s %(number)s")
        % {"body": session.body.name, "kind": session.get_kind_display().lower(), "number": session.number},
    )
    start = session.scheduled_at.astimezone(ZoneInfo(settings.TIME_ZONE))
    event.add("dtstart", start)
    event.add("dtend", start + SESSION_LENGTH)
    event.add("dtstamp", stamp or session.scheduled_at)
    event.add("sequence", session.sequence)
    event.add("location", session.place)
    event.add("status", "CANCELLED" if session.state == SessionState.CANCELLED else "CONFIRMED")
    agenda = "\n".join(f"{item.order}. {item.title}" for item in session.agenda_items.all())
    event.add("description", _("Orden del día:\n%(agenda)s") % {"agenda": agenda})
    event.add("url", f"{base_url}/organos/{session.body.slug}/sesiones/{session.number}/")
    return event


def session_invitation(session: Session, *, base_url: str, method: str, organizer: str, attendee: str) -> bytes:
    """An iTIP message (RFC 5546) for one recipient: METHOD REQUEST for a convocation or a change (SEQUENCE raised
    by each change), CANCEL for a cancellation; the UID is the feed's, so calendars update the event they have."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.INSTITUTE_SHORT_NAME}//Sesiones de los órganos de planeación//ES")
    calendar.add("version", "2.0")
    calendar.add("method", method)
    event = session_event(session, base_url=base_url, stamp=timezone.now())
    event.add("organizer", vCalAddress(f"mailto:{organizer}"))
    event.add("attendee", vCalAddress(f"mailto:{attendee}"), parameters={"ROLE": "REQ-PARTICIPANT", "RSVP": "FALSE"})
    calendar.add_component(event)
    _add_timezones(calendar)
    return calendar.to_ical()


def sessions_calendar(sessions: list[Session], *, base_url: str) -> bytes:
    """RFC 5545 calendar, times in America/Mexico_City with its VTIMEZONE.

    The labels follow the request's language; names, places and agenda titles stay as people wrote them.
    """
    calendar = Calendar()
    # The product identifier names the feed for programs, never for people: it stays the same in every language.
    calendar.add("prodid", f"-//{settings.INSTITUTE_SHORT_NAME}//Sesiones de los órganos de planeación//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Sesiones · %(institute)s") % {"institute": settings.INSTITUTE_SHORT_NAME})
    for session in sessions:
        calendar.add_component(session_event(session, base_url=base_url))
    _add_timezones(calendar)
    return calendar.to_ical()
