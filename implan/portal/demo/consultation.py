"""Two public consultations on a new draft of the diagnosis (2026 update): an open one, with comments in every
state (published, rejected with its reason, one held for moderation), and an earlier round of neighbourhood forums,
closed and answered, whose report is published (so that every public page of a consultation has something to show,
and the suite's crawls read them). Fictional people; their e-mails are private."""

from __future__ import annotations

import datetime
from typing import Any, cast

from django.utils import timezone

from consultations import services
from consultations.models import Consultation, RejectionReason, Sector, Verdict
from planning.models import Diagnosis, StrategicPlan
from planning.services.lifecycle import instrument_new_version

SLUG = "actualizacion-del-diagnostico-2026"
REPORTED_SLUG = "foros-vecinales-del-diagnostico-2026"
RULES = (
    "Esta consulta recoge opiniones sobre el borrador de la actualización 2026 del diagnóstico municipal.\n\n"
    "- Cualquier persona puede comentar una sección, con su nombre o un seudónimo.\n"
    "- Los comentarios se publican después de moderarlos; se rechazan los ofensivos, los que exponen datos "
    "personales de otras personas, la publicidad y los que no tratan del diagnóstico.\n"
    "- Al cerrar la consulta, el instituto responde cada aportación en el informe de la consulta."
)
# (section, name, place, text, decision): None keeps the comment held for moderation.
COMMENTS = [
    (0, "Mariana Soto", "Colonia Obregón", "Falta medir el arbolado urbano por colonia, no solo por delegación.", True),
    (1, "Vecino de Los Castillos", "Los Castillos", "El diagnóstico debería contar los viajes en bicicleta.", True),
    (2, "Don Ramiro", "San Juan de Dios", "Los datos de pobreza son de 2020; ¿habrá una actualización?", True),
    (1, "Promociones XYZ", "León", "¡Compre terrenos a meses sin intereses!", RejectionReason.ADVERTISING),
    (0, "Lucía", "Colonia Centro", "Propongo incluir el ruido como indicador de calidad de vida.", None),
]


def build_consultation(*, planner: Any, plan: StrategicPlan) -> None:
    if Consultation.objects.filter(slug=SLUG).exists():
        return
    published = Diagnosis.objects.filter(plan=plan).order_by("-version").first()
    assert published is not None  # the plan's builder made its diagnosis
    draft = cast(Diagnosis, instrument_new_version(instrument=published, actor=planner))
    draft.title = "Diagnóstico municipal 2026 (actualización)"
    draft._change_reason = "Datos de demostración"  # type: ignore[attr-defined]  # read by django-simple-history
    draft.save()
    build_reported_consultation(planner=planner, draft=draft)
    today = timezone.localdate()
    consultation, sections = _opened(
        planner, draft, "Actualización del diagnóstico 2026", SLUG, today - datetime.timedelta(days=5), 25
    )
    for n, (section, name, place, text, decision) in enumerate(COMMENTS, start=1):
        comment = services.comment_submit(
            actor=None,
            section=sections[section % len(sections)],
            author_name=name,
            place=place,
            email=f"participante{n}@correo-privado.example",
            text=text,
        )
        if decision is not None:
            accept = decision is True
            services.comment_moderate(
                actor=planner, comment=comment, accept=accept, reason="" if accept else str(decision)
            )


# (section, name, place, sector, text, verdict, reason): the online comments of the first round, all published.
ROUND_ONE = [
    (
        0,
        "Colectivo Bici León",
        "Zona Centro",
        Sector.CIVIL_SOCIETY,
        "Contar los ciclistas en los cruces.",
        Verdict.ACCEPTED,
        "Se agrega el conteo ciclista anual al capítulo de movilidad.",
    ),
    (
        1,
        "Rosa",
        "Las Joyas",
        Sector.CITIZENS,
        "Medir cuántas horas al día llega el agua a cada colonia.",
        Verdict.PARTLY,
        "Se usará el dato de SAPAL por sector hidráulico; por colonia aún no existe.",
    ),
]
# (section, participant, place, sector, text, verdict, reason): contributions typed from the forum's minutes.
FORUM = [
    (
        0,
        "Universidad de Guanajuato",
        "León",
        Sector.ACADEMIA,
        "Usar los datos del censo 2020 por manzana.",
        Verdict.ACCEPTED,
        "El diagnóstico se calcula por manzana donde el dato existe.",
    ),
    (
        2,
        "",
        "San Juan de Dios",
        Sector.CITIZENS,
        "Incluir el comercio informal en el capítulo de economía.",
        Verdict.NOT_ACCEPTED,
        "No hay una fuente pública y periódica del comercio informal en el municipio.",
    ),
]


def _opened(
    planner: Any, draft: Diagnosis, title: str, slug: str, starts_on: datetime.date, days_left: int
) -> tuple[Any, list[Any]]:
    """A consultation on ``draft`` with the demo's fixed address, its sections taken from the draft, open."""
    consultation = services.consultation_create(
        actor=planner,
        instrument=draft,
        title=title,
        starts_on=starts_on,
        ends_on=timezone.localdate() + datetime.timedelta(days=days_left),
        rules=RULES,
    )
    consultation.slug = slug
    consultation.save()
    services.sections_from_instrument(actor=planner, consultation=consultation)
    services.consultation_open(actor=planner, consultation=consultation)
    return consultation, list(consultation.sections.all())


def build_reported_consultation(*, planner: Any, draft: Diagnosis) -> None:
    """The first round: forums in the neighbourhoods and comments online, answered, its report published."""
    today = timezone.localdate()
    consultation, sections = _opened(
        planner,
        draft,
        "Foros vecinales sobre el diagnóstico 2026",
        REPORTED_SLUG,
        today - datetime.timedelta(days=45),
        1,
    )
    answers = []
    for n, (section, name, place, sector, text, verdict, reason) in enumerate(ROUND_ONE, start=1):
        comment = services.comment_submit(
            actor=None,
            section=sections[section % len(sections)],
            author_name=name,
            place=place,
            sector=sector,
            email=f"foro{n}@correo-privado.example",
            text=text,
        )
        answers.append((services.comment_moderate(actor=planner, comment=comment, accept=True), verdict, reason))
    # The period ended a fortnight ago (the demo is built today: the dates are moved as the nightly command would
    # find them).
    Consultation.objects.filter(pk=consultation.pk).update(ends_on=today - datetime.timedelta(days=15))
    consultation.refresh_from_db()
    services.consultation_close(actor=planner, consultation=consultation)
    forum = services.forum_record(
        actor=planner,
        consultation=consultation,
        title="Foro vecinal en Las Joyas",
        held_on=today - datetime.timedelta(days=20),
        place="Centro de Desarrollo Comunitario Las Joyas",
        attendance={Sector.CITIZENS: 38, Sector.ACADEMIA: 4, Sector.CIVIL_SOCIETY: 6, Sector.GOVERNMENT: 3},
    )
    for section, participant, place, sector, text, verdict, reason in FORUM:
        contribution = services.contribution_add(
            actor=planner,
            forum=forum,
            section=sections[section % len(sections)],
            sector=sector,
            participant=participant,
            place=place,
            text=text,
        )
        services.answer_give(actor=planner, contribution=contribution, verdict=verdict, reason=reason)
    for comment, verdict, reason in answers:
        services.answer_give(actor=planner, comment=comment, verdict=verdict, reason=reason)
    services.report_publish(
        actor=planner,
        consultation=consultation,
        summary="Cuatro aportaciones respondidas: tres se incorporan al borrador, total o parcialmente.",
    )
