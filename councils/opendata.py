"""Open-data renderings of the councils' record: iCalendar of sessions."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from councils.models import Session, SessionState

SESSION_LENGTH = datetime.timedelta(hours=2)


def sessions_calendar(sessions: list[Session], *, base_url: str) -> bytes:
    """RFC 5545 calendar, times in America/Mexico_City with its VTIMEZONE.

    The labels follow the request's language; names, places and agenda titles stay as people wrote them.
    """
    calendar = Calendar()
    # The product identifier names the feed for programs, never for people: it stays the same in every language.
    calendar.add("prodid", f"-//{settings.INSTITUTE_SHORT_NAME}//Sesiones de los órganos de planeación//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", _("Sesiones · %(institute)s") % {"institute": settings.INSTITUTE_SHORT_NAME})
    tz = ZoneInfo(settings.TIME_ZONE)
    for session in sessions:
        event = Event()
        event.add("uid", f"sesion-{session.pk}@{settings.INSTITUTE_SHORT_NAME.lower().replace(' ', '-')}")
        # Translators: calendar entry title, e.g. "Consejo Consultivo: sesión ordinaria 3".
        event.add(
            "summary",
            _("%(body)s: sesión %(kind)s %(number)s")
            % {"body": session.body.name, "kind": session.get_kind_display().lower(), "number": session.number},
        )
        start = session.scheduled_at.astimezone(tz)
        event.add("dtstart", start)
        event.add("dtend", start + SESSION_LENGTH)
        event.add("dtstamp", session.scheduled_at)
        event.add("location", session.place)
        event.add("status", "CANCELLED" if session.state == SessionState.CANCELLED else "CONFIRMED")
        agenda = "\n".join(f"{item.order}. {item.title}" for item in session.agenda_items.all())
        event.add("description", _("Orden del día:\n%(agenda)s") % {"agenda": agenda})
        event.add("url", f"{base_url}/organos/{session.body.slug}/sesiones/{session.number}/")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
