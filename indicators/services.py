"""Every write of the indicators app: the catalogue and the loading of observation files.

Each service takes the acting user, runs in a transaction, locks the row it changes, checks the allowed
transitions, records history with a reason and an event row, and raises DomainError (nothing saved) on refusal.
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import OperationalError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from implan.cache import content_changed
from implan.concurrency import check_unchanged
from implan.errors import DomainError
from implan.events import event_record
from implan.limits import require_text_limits
from implan.notifications import in_portal_language, notify, register_kind
from implan.permissions import deny_unless, is_administrator, require_planner
from implan.slugs import unique_slug
from implan.tasks import requeue_waiting
from implan.types import Actor, Label
from indicators import jobs
from indicators.calendar import needing_attention
from indicators.importing import ImportRefused, check_file
from indicators.models import (
    Category,
    Dimension,
    ImportJob,
    ImportJobState,
    ImportRow,
    Indicator,
    Observation,
    RatePer,
    RowOutcome,
    SdgCode,
    UpdateReminder,
)
from indicators.rates import rate_recompute

# --- The catalogue ---------------------------------------------------------------------------------------------

INDICATOR_FIELDS = (
    "code",
    "name",
    "definition",
    "formula",
    "unit",
    "family",
    "theme",
    "polarity",
    "frequency",
    "source",
    "territorial_level",
    "owner",
    "responsible_person",
    "publication_lag_months",
    "is_published",
)
# What the edit form shows: compared with the stored indicator to detect a concurrent save (implan.concurrency).
EDITED_FIELDS = (*INDICATOR_FIELDS, "sdg_codes")
ONLY_PLANNERS = gettext_lazy("Solo el cuerpo técnico de planeación puede editar el catálogo de indicadores.")


@transaction.atomic
def indicator_create(*, actor: Actor, data: dict[str, Any], sdg_codes: Iterable[SdgCode] = ()) -> Indicator:
    """Add an indicator to the catalogue with its metadata and SDG alignment."""
    require_planner(actor, ONLY_PLANNERS)
    if Indicator.objects.filter(code__iexact=data["code"]).exists():
        raise DomainError(_("Ya existe un indicador con la clave «%(code)s».") % {"code": data["code"]})
    indicator = Indicator(**{f: data[f] for f in INDICATOR_FIELDS if f in data})
    indicator.slug = unique_slug(Indicator.objects.all(), f"{indicator.code} {indicator.name}", fallback="indicador")
    indicator._change_reason = _("Alta en el catálogo")  # type: ignore[attr-defined]  # read by django-simple-history
    require_text_limits(indicator)
    indicator.save()
    indicator.sdg_codes.set(list(sdg_codes))
    event_record(actor=actor, subject=indicator, action="indicador_creado", note=indicator.code)
    return indicator


@transaction.atomic
def indicator_update(
    *,
    actor: Actor,
    indicator: Indicator,
    data: dict[str, Any],
    sdg_codes: Iterable[SdgCode] | None = None,
    reason: str = "",
    seen: dict[str, str] | None = None,
) -> Indicator:
    """Change an indicator's metadata; its code stays if it has observations (files refer to it).

    ``seen`` is what the editor's form showed; ``EditConflict`` when someone saved the indicator in between.
    """
    require_planner(actor, ONLY_PLANNERS)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    check_unchanged(locked, EDITED_FIELDS, seen)
    new_code = data.get("code", locked.code)
    if new_code != locked.code:
        if locked.observations.exists():
            raise DomainError(_("La clave de un indicador con datos no puede cambiar: los archivos de carga la usan."))
        if Indicator.objects.filter(code__iexact=new_code).exclude(pk=locked.pk).exists():
            raise DomainError(_("Ya existe un indicador con la clave «%(code)s».") % {"code": new_code})
    for name in INDICATOR_FIELDS:
        if name in data:
            setattr(locked, name, data[name])
    locked._change_reason = reason or _("Edición del catálogo")  # type: ignore[attr-defined]  # read by django-simple-history
    require_text_limits(locked)
    locked.save()
    if sdg_codes is not None:
        locked.sdg_codes.set(list(sdg_codes))
    event_record(actor=actor, subject=locked, action="indicador_editado", note=locked._change_reason)  # type: ignore[attr-defined]
    return locked


# --- Loading files ---------------------------------------------------------------------------------------------

# What a person may do to a job; the worker's own steps are in indicators.jobs.WORKER_TRANSITIONS.
USER_TRANSITIONS = {
    ImportJobState.READY: {ImportJobState.CONFIRMED, ImportJobState.DISCARDED},
    ImportJobState.REFUSED: {ImportJobState.DISCARDED},
    # Retried (checked again, or saved again: see import_job_retry), or given up.
    ImportJobState.FAILED: {ImportJobState.QUEUED, ImportJobState.CONFIRMED, ImportJobState.DISCARDED},
}
ACTION_NAMES: dict[str, Label] = {
    ImportJobState.CONFIRMED: gettext_lazy("confirmar"),
    ImportJobState.DISCARDED: gettext_lazy("descartar"),
}


def can_decide(user: Actor, job: ImportJob) -> bool:
    """Who confirms, retries or discards a file: whoever loaded it, and the administration."""
    return user.pk == job.created_by_id or is_administrator(user)


@transaction.atomic
def import_job_create(*, actor: Actor, file_name: str, content: bytes, background: bool = True) -> ImportJob:
    """Keep an uploaded file and queue it to be checked; refuses at once what is not a CSV/XLSX of a sane size.

    ``background=False``: no task is queued, the caller runs the check itself (``import_file_now``).
    """
    require_planner(actor, _("Solo el cuerpo técnico de planeación puede cargar observaciones."))
    try:
        check_file(content, file_name)
    except ImportRefused as refusal:
        raise DomainError(refusal.message) from refusal
    job = ImportJob.objects.create(created_by=actor, file_name=file_name[:255], content=content, size=len(content))
    event_record(actor=actor, subject=job, action="carga_recibida", to_state=job.state, note=job.file_name)
    if background:
        jobs.schedule(job)
    return job


def _locked_for(actor: Actor, job: ImportJob) -> ImportJob:
    locked = ImportJob.objects.select_for_update().defer("content").get(pk=job.pk)
    deny_unless(
        can_decide(actor, locked), _("Solo quien cargó el archivo (o la administración) puede decidir sobre él.")
    )
    return locked


def _transition(*, actor: Actor, job: ImportJob, to: str, action: str = "") -> ImportJob:
    locked = _locked_for(actor, job)
    if to not in USER_TRANSITIONS.get(ImportJobState(locked.state), set()):
        raise DomainError(
            _("La carga está «%(state)s»: ya no se puede %(action)s.")
            % {"state": locked.get_state_display().lower(), "action": ACTION_NAMES.get(to, to)}
        )
    previous, locked.state = locked.state, to
    locked.save(update_fields=["state", "updated_at"])
    event_record(actor=actor, subject=locked, action=action or to, from_state=previous, to_state=to)
    return locked


@transaction.atomic
def import_job_confirm(*, actor: Actor, job: ImportJob, background: bool = True) -> ImportJob:
    """Queue a checked file to be saved; the saving is all-or-nothing, in the background (or by the caller, with
    ``background=False``)."""
    locked = _transition(actor=actor, job=job, to=ImportJobState.CONFIRMED)
    if background:
        jobs.schedule(locked)
    return locked


@transaction.atomic
def import_job_discard(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Drop a checked file without saving anything from it."""
    locked = _transition(actor=actor, job=job, to=ImportJobState.DISCARDED)
    jobs.drop_rows([locked.pk])
    return locked


@transaction.atomic
def import_job_retry(*, actor: Actor, job: ImportJob) -> ImportJob:
    """Run an interrupted job's step again: saving it, when it stopped while saving and its checked rows are still
    there; checking the file again otherwise (the planner then confirms anew).

    Idempotent: only an interrupted job moves; one already retried (waiting, running or finished) is returned as it
    is, so a second click, or two people at once, start nothing twice. Saving is all-or-nothing and compares with
    the stored values first, so a retried save writes each value once.
    """
    locked = _locked_for(actor, job)
    if locked.state != ImportJobState.FAILED:
        if locked.state == ImportJobState.DISCARDED:
            raise DomainError(_("La carga se descartó; vuelva a cargar el archivo."))
        return locked
    staged = ImportRow.objects.filter(job=locked).exclude(outcome=RowOutcome.ERROR).exists()
    # Interrupted while saving, or while waiting to be saved (the queue refused the task): save again.
    saving = locked.interrupted_step in (ImportJobState.APPLYING, ImportJobState.CONFIRMED) and staged
    locked = _transition(
        actor=actor, job=locked, action="reintentada", to=ImportJobState.CONFIRMED if saving else ImportJobState.QUEUED
    )
    ImportJob.objects.filter(pk=locked.pk).update(message="", finished_at=None)
    jobs.schedule(locked)
    return locked


def import_jobs_interrupt_stalled(*, now: datetime.datetime | None = None, pk: int | None = None) -> int:
    """Mark interrupted the running jobs (or job ``pk``) whose runner stopped signalling life; how many were.

    Nothing of theirs was saved: saving is one transaction, which the database rolled back when the process died,
    and which can no longer commit (jobs.apply commits only while it still holds the job). Called wherever someone
    may be waiting on a job (its page, its progress, the list of loads) and by the periodic ``manage.py
    mark_stalled_jobs``, so a dead worker is noticed within a minute. Safe to run twice, or by two processes at once:
    each job moves by a conditional UPDATE. The system acts: the event has no actor.
    """
    now = now or timezone.now()
    stalled = ImportJob.objects.stalled(now=now).defer("content")
    message = _(
        "La carga se interrumpió: el proceso que la ejecutaba se detuvo. No se guardó nada; puede reintentarla o "
        "descartarla."
    )
    interrupted = 0
    for job in stalled.filter(pk=pk) if pk else stalled:
        try:
            with transaction.atomic():
                still = ImportJob.objects.stalled(now=now).filter(pk=job.pk, attempt=job.attempt, state=job.state)
                moved = still.update(
                    state=ImportJobState.FAILED,
                    interrupted_step=job.state,
                    message=message,
                    finished_at=now,
                    updated_at=now,
                )
                if moved:
                    event_record(
                        actor=None,
                        subject=job,
                        action=ImportJobState.FAILED,
                        from_state=job.state,
                        to_state=ImportJobState.FAILED,
                        note=message,
                    )
                    interrupted += 1
        except OperationalError:
            # SQLite (bin/start) locks the whole database while a load saves, silencing its heartbeat too: a job
            # that cannot be marked because someone is writing is alive. It is looked at again on the next visit.
            continue
    return interrupted


def import_jobs_requeue_waiting(*, now: datetime.datetime | None = None) -> int:
    """Hand again to the queue the loads still waiting for a worker after ``TASKS_REQUEUE_AFTER_SECONDS``: their task
    was lost (the web process died between the upload's commit and the enqueue). Idempotent (``requeue_waiting``)."""
    return requeue_waiting(
        ImportJob.objects.all(),
        waiting=[ImportJobState.QUEUED, ImportJobState.CONFIRMED],
        enqueue=jobs.schedule,
        now=now or timezone.now(),
        after=datetime.timedelta(seconds=settings.TASKS_REQUEUE_AFTER_SECONDS),
    )


def import_file_now(*, actor: Actor, file_name: str, content: bytes) -> ImportJob:
    """Check a file and, when it has no errors, save it — all in the calling process, with no task (command line,
    benchmark, tests of the import itself)."""
    job = import_job_create(actor=actor, file_name=file_name, content=content, background=False)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    if job.state == ImportJobState.READY:
        job = import_job_confirm(actor=actor, job=job, background=False)
        jobs.run_job(job.pk)
        job.refresh_from_db()
    return job


# --- Structure of an indicator: breakdowns and rates ------------------------------------------------------------


@transaction.atomic
def indicator_declare_breakdown(
    *, actor: Actor, indicator: Indicator, name: str, categories: Iterable[str]
) -> Dimension:
    """Declare (or extend) a breakdown of ``indicator``: a dimension such as «sexo» and its categories, in order.

    Existing categories stay (observations refer to them); new ones are added after them.
    """
    require_planner(actor, ONLY_PLANNERS)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    slug = slugify(name)
    labels = [label.strip() for label in categories if label.strip()]
    if not slug or not labels:
        raise DomainError(_("Una desagregación necesita un nombre y al menos una categoría."))
    if locked.is_rate:
        raise DomainError(_("Una tasa toma sus desagregaciones de su numerador y su denominador."))
    dimension, _created = Dimension.objects.get_or_create(
        indicator=locked, slug=slug, defaults={"name": name.strip(), "order": locked.dimensions.count() + 1}
    )
    known = set(dimension.categories.values_list("slug", flat=True))
    for order, label in enumerate(labels, start=len(known) + 1):
        category_slug = slugify(label)
        if not category_slug:
            raise DomainError(_("La categoría «%(label)s» no tiene letras ni números.") % {"label": label})
        if category_slug not in known:
            Category.objects.create(dimension=dimension, label=label, slug=category_slug, order=order)
            known.add(category_slug)
    event_record(actor=actor, subject=locked, action="desagregacion_declarada", note=f"{name}: {', '.join(labels)}")
    return dimension


@transaction.atomic
def indicator_define_rate(
    *, actor: Actor, indicator: Indicator, numerator: Indicator, denominator: Indicator, per: int
) -> Indicator:
    """Make ``indicator`` a rate of ``numerator`` over ``denominator`` per ``per`` and compute its values now."""
    require_planner(actor, ONLY_PLANNERS)
    locked = Indicator.objects.select_for_update().get(pk=indicator.pk)
    if per not in RatePer.values:
        raise DomainError(_("Una tasa se expresa por cada 100, 1,000 o 100,000."))
    if locked.pk in (numerator.pk, denominator.pk) or numerator.pk == denominator.pk:
        raise DomainError(_("Una tasa se calcula de otros dos indicadores distintos."))
    if numerator.is_rate or denominator.is_rate:
        raise DomainError(_("Una tasa no se calcula de otra tasa."))
    has_loaded = locked.observations.exists() and not locked.is_rate
    if has_loaded:
        raise DomainError(_("El indicador ya tiene datos cargados; una tasa solo tiene los que calcula el portal."))
    locked.rate_numerator, locked.rate_denominator, locked.rate_per = numerator, denominator, per
    locked._change_reason = _("Definida como tasa")  # type: ignore[attr-defined]  # read by django-simple-history
    locked.save()
    rate_recompute(rate=locked, user_id=actor.pk, source="")
    event_record(
        actor=actor, subject=locked, action="tasa_definida", note=f"{numerator.code} / {denominator.code} × {per}"
    )
    transaction.on_commit(lambda: content_changed(Observation))
    return locked


# --- Update reminders -------------------------------------------------------------------------------------------

INDICATOR_DUE = "indicador_por_actualizar"
register_kind(INDICATOR_DUE, gettext_lazy("Indicador por actualizar (vencido o por vencer)"))


@in_portal_language
def indicator_reminders_send(*, today: datetime.date | None = None) -> int:
    """Remind each responsible person of the indicators overdue or due within ``calendar.SOON_DAYS``; how many
    reminders were sent. Once per indicator and due date: safe to run twice, on two machines (the reminder's row is
    claimed by its unique key inside the transaction of its notice). The system acts: no actor."""
    today = today or timezone.localdate()
    sent = 0
    for row in needing_attention(today=today):
        person = row.indicator.responsible_person
        if person is None or row.due is None:
            continue
        with transaction.atomic():
            _reminder, created = UpdateReminder.objects.get_or_create(indicator=row.indicator, due=row.due)
            if not created:
                continue
            notify(
                kind=INDICATOR_DUE,
                title=_("Actualizar %(code)s: %(period)s esperado para el %(due)s")
                % {"code": row.indicator.code, "period": row.next_period, "due": row.due.strftime("%d/%m/%Y")},
                text=_("%(name)s (%(state)s). Cargue el archivo con el nuevo periodo en el espacio de trabajo.")
                % {"name": row.indicator.name, "state": row.state_label.lower()},
                url=reverse("indicators:workspace_indicator", args=[row.indicator.pk]),
                user=person,
            )
            sent += 1
    return sent
