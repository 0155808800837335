"""Open-data renderings of the councils' record: iCalendar of sessions."""

import datetime
from zoneinfo import ZoneInfo

from django.conf import settings
from icalendar import Calendar, Event

from councils.models import Session

SESSION_LENGTH = datetime.timedelta(hours=2)


def sessions_calendar(sessions: list[Session], *, base_url: str) -> bytes:
    """RFC 5545 calendar, times in America/Mexico_City with its VTIMEZONE."""
    calendar = Calendar()
    calendar.add("prodid", f"-//{settings.INSTITUTE_SHORT_NAME}//Sesiones de los órganos de planeación//ES")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", f"Sesiones · {settings.INSTITUTE_SHORT_NAME}")
    tz = ZoneInfo(settings.TIME_ZONE)
    for session in sessions:
        event = Event()
        event.add("uid", f"sesion-{session.pk}@{settings.INSTITUTE_SHORT_NAME.lower().replace(' ', '-')}")
        event.add("summary", f"{session.body.name}: sesión {session.get_kind_display().lower()} {session.number}")
        start = session.scheduled_at.astimezone(tz)
        event.add("dtstart", start)
        event.add("dtend", start + SESSION_LENGTH)
        event.add("dtstamp", session.scheduled_at)
        event.add("location", session.place)
        event.add("status", "CANCELLED" if session.state == "cancelada" else "CONFIRMED")
        agenda = "\n".join(f"{item.order}. {item.title}" for item in session.agenda_items.all())
        event.add("description", f"Orden del día:\n{agenda}")
        event.add("url", f"{base_url}/organos/{session.body.slug}/sesiones/{session.number}/")
        calendar.add_component(event)
    calendar.add_missing_timezones()
    return calendar.to_ical()
