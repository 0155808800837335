"""Every write of the territory catalogue loads: keep a file, confirm it, discard it.

Each service takes the acting user, runs in a transaction, locks the job it changes, checks the allowed transitions
and writes an event row; the checking and saving themselves run in the background (``indicators.territories.jobs``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from implan.errors import DomainError
from implan.events import event_record
from implan.models import TerritoryImport, TerritoryImportState
from implan.permissions import deny_unless, is_administrator, require_planner
from implan.types import Actor, Label
from indicators.territories import jobs

USER_TRANSITIONS = {
    TerritoryImportState.READY: {TerritoryImportState.CONFIRMED, TerritoryImportState.DISCARDED},
    TerritoryImportState.REFUSED: {TerritoryImportState.DISCARDED},
    TerritoryImportState.FAILED: {TerritoryImportState.DISCARDED},
}
ACTION_NAMES: dict[str, Label] = {
    TerritoryImportState.CONFIRMED: gettext_lazy("confirmar"),
    TerritoryImportState.DISCARDED: gettext_lazy("descartar"),
}
DEFAULT_SOURCE = "INEGI, Censo de Población y Vivienda 2020"


def can_decide(user: Actor, job: TerritoryImport) -> bool:
    """Who confirms or discards a catalogue: whoever loaded it, and the administration."""
    return user.pk == job.created_by_id or is_administrator(user)


@transaction.atomic
def territory_import_create(
    *,
    actor: Actor,
    file_name: str,
    content: bytes,
    population_year: int | None = 2020,
    population_source: str = DEFAULT_SOURCE,
    background: bool = True,
) -> TerritoryImport:
    """Keep an uploaded catalogue and queue it to be checked; refuses at once what is not a CSV/XLSX (or a zip of
    one CSV) of a sane size. ``background=False``: the caller runs the check itself (``jobs.run_job``)."""
    require_planner(actor, _("Solo el cuerpo técnico de planeación puede cargar territorios."))
    limit = settings.TERRITORY_IMPORT_MAX_BYTES
    if len(content) > limit:
        raise DomainError(
            _("El archivo pesa %(size)s MB; el máximo es %(max)s MB.")
            % {"size": round(len(content) / 1048576, 1), "max": round(limit / 1048576, 1)}
        )
    # A zip is kept as it came (a tenth of the CSV inside): the check unpacks it (jobs.unpacked).
    name, _nothing = jobs.unpacked(file_name, content, read=False)
    if not name.lower().endswith((".csv", ".txt", ".xlsx")):
        raise DomainError(_("Solo se aceptan archivos CSV o XLSX (o un zip con un CSV, como los publica el INEGI)."))
    job = TerritoryImport.objects.create(
        created_by=actor,
        file_name=file_name[:255],
        content=content,
        population_year=population_year,
        population_source=population_source[:200],
    )
    event_record(actor=actor, subject=job, action="carga_recibida", to_state=job.state, note=job.file_name)
    if background:
        jobs.schedule(job)
    return job


def _transition(*, actor: Actor, job: TerritoryImport, to: str) -> TerritoryImport:
    locked = TerritoryImport.objects.select_for_update().defer("content").get(pk=job.pk)
    deny_unless(
        can_decide(actor, locked), _("Solo quien cargó el archivo (o la administración) puede decidir sobre él.")
    )
    if to not in USER_TRANSITIONS.get(TerritoryImportState(locked.state), set()):
        raise DomainError(
            _("La carga está «%(state)s»: ya no se puede %(action)s.")
            % {"state": locked.get_state_display().lower(), "action": ACTION_NAMES.get(to, to)}
        )
    previous, locked.state = locked.state, to
    locked.save(update_fields=["state", "updated_at"])
    event_record(actor=actor, subject=locked, action=to, from_state=previous, to_state=to)
    return locked


@transaction.atomic
def territory_import_confirm(*, actor: Actor, job: TerritoryImport, background: bool = True) -> TerritoryImport:
    """Queue a checked catalogue to be saved, all or nothing, in the background."""
    locked = _transition(actor=actor, job=job, to=TerritoryImportState.CONFIRMED)
    if background:
        jobs.schedule(locked)
    return locked


@transaction.atomic
def territory_import_discard(*, actor: Actor, job: TerritoryImport) -> TerritoryImport:
    """Give up a catalogue: nothing of it is saved; the job stays as the record of what was loaded."""
    locked = _transition(actor=actor, job=job, to=TerritoryImportState.DISCARDED)
    TerritoryImport.objects.filter(pk=locked.pk).update(content=b"")
    jobs.drop_staged(locked.pk)
    return locked
