"""Reads of the consultation pages, the report and the open data (a fixed number of queries each).

Nothing here reads a commenter's e-mail: public rows are built from named fields, never from whole objects.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone
from django.utils.translation import gettext as _

from consultations.models import (
    Comment,
    CommentState,
    Consultation,
    ConsultationState,
    Contribution,
    Forum,
    Section,
    Sector,
)

INSTRUMENT_RELATED = ("plan", "diagnosis", "programme", "government_plan")


def public_consultations() -> QuerySet[Consultation]:
    """Those taking comments today first (closing soonest first), then the rest, newest first."""
    today = timezone.localdate()
    return (
        Consultation.objects.public()
        .select_related(*INSTRUMENT_RELATED)
        .annotate(
            running=Case(
                When(state=ConsultationState.OPEN, starts_on__lte=today, ends_on__gte=today, then=Value(0)),
                When(state=ConsultationState.OPEN, starts_on__gt=today, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            ),
            published_comments=Count("sections__comments", filter=Q(sections__comments__state=CommentState.ACCEPTED)),
        )
        .order_by("running", "ends_on", "-starts_on", "-pk")
    )


def open_consultations() -> list[Consultation]:
    """For the home page and the feed: the consultations taking comments today."""
    return list(Consultation.objects.accepting_comments().select_related(*INSTRUMENT_RELATED).order_by("ends_on"))


def consultation_sections(consultation: Consultation) -> list[Section]:
    """Its sections, each with its published comments (two queries however many comments there are)."""
    published = Comment.objects.published().only("section_id", "author_name", "place", "text", "created_at")
    return list(consultation.sections.prefetch_related(Prefetch("comments", queryset=published, to_attr="published")))


# --- The report -------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Entry:
    """One contribution as the report shows it: a published comment or a forum's contribution, with its answer."""

    section: Section
    channel: str
    author: str
    sector: str
    place: str
    text: str
    date: Any
    verdict: str
    verdict_code: str
    reason: str


@dataclass
class Report:
    consultation: Consultation
    sections: list[Section]
    forums: list[Forum]
    entries: list[Entry]
    by_section: list[tuple[Section, int]] = field(default_factory=list)
    by_sector: list[tuple[str, int]] = field(default_factory=list)
    by_place: list[tuple[str, int]] = field(default_factory=list)
    attendance: list[tuple[str, int]] = field(default_factory=list)

    @property
    def total_attendance(self) -> int:
        return sum(n for _label, n in self.attendance)


def _answer(obj: Any) -> tuple[str, str, str]:
    answer = getattr(obj, "answer", None)
    return (answer.get_verdict_display(), answer.verdict, answer.reason) if answer else ("", "", "")


def _entries(consultation: Consultation, sections: dict[int, Section]) -> list[Entry]:
    online = _("En línea")
    comments = (
        Comment.objects.published()
        .filter(section__consultation=consultation)
        .select_related("answer")
        .only("section_id", "author_name", "place", "sector", "text", "created_at", "answer")
    )
    contributions = (
        Contribution.objects.filter(forum__consultation=consultation)
        .select_related("answer", "forum")
        .order_by("forum__held_on", "id")
    )
    entries = [
        Entry(
            sections[c.section_id],
            online,
            c.author_name,
            c.get_sector_display(),
            c.place,
            c.text,
            c.created_at,
            *_answer(c),
        )
        for c in comments
    ]
    entries += [
        Entry(
            sections[c.section_id],
            c.forum.title,
            c.participant,
            c.get_sector_display(),
            c.place,
            c.text,
            c.forum.held_on,
            *_answer(c),
        )
        for c in contributions
    ]
    entries.sort(key=lambda e: e.section.order)
    return entries


def _place_key(place: str) -> str:
    return " ".join(place.split()).title() if place.strip() else str(_("Sin indicar"))


def consultation_report(consultation: Consultation) -> Report:
    sections = list(consultation.sections.all())
    entries = _entries(consultation, {s.pk: s for s in sections})
    forums = list(consultation.forums.prefetch_related("attendance"))
    per_section = Counter(e.section.pk for e in entries)
    attendance = Counter()
    for forum in forums:
        for row in forum.attendance.all():
            attendance[row.sector] += row.count
    return Report(
        consultation=consultation,
        sections=sections,
        forums=forums,
        entries=entries,
        by_section=[(s, per_section[s.pk]) for s in sections],
        by_sector=Counter(e.sector for e in entries).most_common(),
        by_place=Counter(_place_key(e.place) for e in entries).most_common(),
        attendance=[(label, attendance[value]) for value, label in Sector.choices if attendance[value]],
    )


REPORT_HEADER = ["seccion", "canal", "participante", "sector", "colonia", "fecha", "aportacion", "respuesta", "razon"]


def report_rows(report: Report) -> list[list[Any]]:
    return [
        [str(e.section), e.channel, e.author, e.sector, e.place, e.date, e.text, e.verdict, e.reason]
        for e in report.entries
    ]


# --- Open data ----------------------------------------------------------------------------------------------------

CONTRIBUTIONS_HEADER = ["consulta", *REPORT_HEADER]


def open_data_contributions() -> list[list[Any]]:
    """Every published contribution of every public consultation (answers once its report is out); no e-mails."""
    rows = []
    for consultation in Consultation.objects.public().order_by("starts_on", "pk"):
        report = consultation_report(consultation)
        reported = consultation.state == ConsultationState.REPORTED
        for row in report_rows(report):
            rows.append([consultation.slug, *(row if reported else row[:-2] + ["", ""])])
    return rows


def open_data_consultations() -> list[dict[str, Any]]:
    return [
        {
            "identificador": c.slug,
            "titulo": c.title,
            "instrumento": str(c.instrument),
            "version": c.instrument.version,
            "estado": c.state,
            "inicio": c.starts_on.isoformat(),
            "fin": c.ends_on.isoformat(),
            "secciones": [{"orden": s.order, "titulo": s.title} for s in c.sections.all()],
            "comentarios_publicados": c.published_comments,
            "informe_publicado": c.report_published_at.isoformat() if c.report_published_at else None,
        }
        for c in public_consultations().prefetch_related("sections")
    ]
