"""The admin's catalogue imports run in the background on each backend for real (the database backend on PostgreSQL,
RQ on Redis): upload → a task checks → preview → «Confirmar importación» → a task imports all or nothing → done.
Never twice, never someone else's, never half."""

import csv
import datetime
import io
import os

import pytest
import time_machine
from django.contrib.admin.models import LogEntry
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections
from django.urls import reverse
from django.utils import timezone
from django_tasks.signals import task_enqueued

from implan import admin_imports, tasks
from implan.events import events_for
from implan.models import AdminImport, AdminImportState, Territory
from indicators import services as indicator_services
from indicators.models import ImportJob, ImportJobState
from tests.admin_files import upload
from tests.factories import UserFactory

HEADERS = ["code", "name", "kind", "inegi_code", "parent", "latitude", "longitude"]


def localities(count: int) -> SimpleUploadedFile:
    """A localities file as INEGI's catalogue gives it: the municipality first, then its localities under it (which
    only the same import's first row makes valid: the whole file is checked, and saved, in one transaction)."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(HEADERS)
    writer.writerow(["mun-leon", "León", "municipio", "11020", "", "", ""])
    for n in range(1, count):
        writer.writerow([f"loc-{n:05d}", f"Localidad {n}", "localidad", f"11020{n:04d}", "mun-leon", "", ""])
    return SimpleUploadedFile("localidades.csv", text.getvalue().encode(), content_type="text/csv")


def _job_id(response) -> int:
    assert response.status_code == 302
    return int(response["Location"].split("/adminimport/")[1].split("/")[0])


@pytest.fixture
def staff(tasks_backend):
    return UserFactory(username="super_tareas", is_staff=True, is_superuser=True)


def test_a_localities_file_is_checked_previewed_confirmed_and_imported_by_workers(client, staff, monkeypatch):
    # The preview's cap made small, so that a file of a few dozen rows already passes it (django-import-export takes
    # tens of milliseconds a row, twice: the check and the import).
    monkeypatch.setattr(admin_imports, "PREVIEW_ROWS", 20)
    client.force_login(staff)
    job_id = _job_id(upload(client, Territory, localities(25)))
    job = AdminImport.objects.get(pk=job_id)
    assert job.state == AdminImportState.QUEUED and Territory.objects.count() == 0  # the request did no work
    page = client.get(reverse("admin:implan_adminimport_change", args=[job_id])).content.decode()
    assert "En cola para revisar" in page and 'http-equiv="refresh"' in page

    assert tasks.run_waiting_tasks() == 1
    job.refresh_from_db()
    assert job.state == AdminImportState.READY and job.percent == 100
    assert job.counts == {"new": 25, "update": 0, "delete": 0, "skip": 0, "error": 0}
    preview = client.get(reverse("admin:implan_adminimport_change", args=[job_id])).content.decode()
    assert "Confirmar importación" in preview and "Vista previa" in preview and "Localidad 19<" in preview
    assert "Localidad 20<" not in preview and "Se muestran las primeras 20 filas que cambian algo." in preview
    assert Territory.objects.count() == 0  # the check was a dry run

    client.post(reverse("admin:implan_adminimport_confirm", args=[job_id]))
    assert AdminImport.objects.get(pk=job_id).state == AdminImportState.CONFIRMED
    assert tasks.run_waiting_tasks() == 1
    job.refresh_from_db()
    assert job.state == AdminImportState.DONE and job.finished_at is not None
    assert Territory.objects.count() == 25 and Territory.objects.filter(parent__code="mun-leon").count() == 24
    assert Territory.history.filter(history_user=staff).count() == 25
    assert LogEntry.objects.filter(user=staff).count() == 25
    states = [e.to_state for e in sorted(events_for(job), key=lambda e: e.pk)]
    assert states == ["en_cola", "lista", "confirmada", "importada"]
    done = client.get(reverse("admin:implan_adminimport_change", args=[job_id])).content.decode()
    assert "Importada" in done and "25 filas nuevas" in done and "refresh" not in done
    assert tasks.run_waiting_tasks() == 0


def test_confirming_twice_or_delivering_the_task_twice_imports_once(client, staff):
    client.force_login(staff)
    job_id = _job_id(upload(client, Territory, localities(40)))
    tasks.enqueue(admin_imports.admin_import_run, job_id)  # the check asked for twice
    assert tasks.run_waiting_tasks() == 2
    assert AdminImport.objects.get(pk=job_id).attempt == 1
    confirm = reverse("admin:implan_adminimport_confirm", args=[job_id])
    client.post(confirm)
    second = client.post(confirm, follow=True).content.decode()  # a double click
    assert "ya no se puede confirmar" in second
    tasks.enqueue(admin_imports.admin_import_run, job_id)
    assert tasks.run_waiting_tasks() == 2
    client.post(confirm)
    admin_imports.run_job(job_id)  # a redelivery after the import committed
    job = AdminImport.objects.get(pk=job_id)
    assert (job.state, job.attempt) == (AdminImportState.DONE, 2)
    assert Territory.objects.count() == 40 and Territory.history.count() == 40
    assert [e.to_state for e in events_for(job)].count(AdminImportState.DONE) == 1
    # A retry of a finished import is no retry at all.
    assert admin_imports.admin_import_retry(actor=staff, job=job).state == AdminImportState.DONE
    assert tasks.run_waiting_tasks() == 0 and Territory.objects.count() == 40


def test_someone_elses_import_can_be_neither_seen_nor_decided_on(client, staff):
    client.force_login(staff)
    job_id = _job_id(upload(client, Territory, localities(5)))
    tasks.run_waiting_tasks()
    other = UserFactory(username="otra_administradora", is_staff=True)
    other.user_permissions.add(*_territory_permissions())
    client.force_login(other)
    for name in ("change", "history", "confirm", "discard", "retry"):
        url = reverse(f"admin:implan_adminimport_{name}", args=[job_id])
        assert (client.get(url) if name in ("change", "history") else client.post(url)).status_code == 404, name
    listing = client.get(reverse("admin:implan_adminimport_changelist")).content.decode()
    assert "localidades.csv" not in listing
    citizen = UserFactory(username="sin_admin")
    client.force_login(citizen)
    response = client.post(reverse("admin:implan_adminimport_confirm", args=[job_id]))
    assert response.status_code == 302 and "/login/" in response["Location"]
    assert AdminImport.objects.get(pk=job_id).state == AdminImportState.READY and Territory.objects.count() == 0


def _territory_permissions():
    from django.contrib.auth.models import Permission

    return Permission.objects.filter(content_type__app_label="implan", content_type__model="territory")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("localidades.xlsx", b"esto no es un libro de Excel", "No se pudo leer el archivo como XLSX"),
        ("localidades.csv", ",".join(HEADERS).encode() + b"\n", "No hay datos que importar"),
    ],
)
def test_a_bad_file_gets_a_spanish_message_and_changes_nothing(client, staff, name, content, message):
    client.force_login(staff)
    job_id = _job_id(upload(client, Territory, SimpleUploadedFile(name, content)))
    tasks.run_waiting_tasks()
    job = AdminImport.objects.get(pk=job_id)
    assert job.state == AdminImportState.REFUSED and message in job.message
    page = client.get(reverse("admin:implan_adminimport_change", args=[job_id])).content.decode()
    assert message in page and "Confirmar importación" not in page and "Traceback" not in page
    assert client.post(reverse("admin:implan_adminimport_confirm", args=[job_id]), follow=True).status_code == 200
    assert Territory.objects.count() == 0 and AdminImport.objects.get(pk=job_id).state == AdminImportState.REFUSED


def test_a_file_with_one_bad_row_in_sixty_is_refused_whole_with_the_row_named(client, staff):
    client.force_login(staff)
    file = localities(60)
    file = SimpleUploadedFile(file.name, file.read().replace(b"Localidad 50,localidad", b"Localidad 50,Localidad"))
    job_id = _job_id(upload(client, Territory, file))
    tasks.run_waiting_tasks()
    job = AdminImport.objects.get(pk=job_id)
    assert job.state == AdminImportState.REFUSED and job.counts["error"] == 1 and job.counts["new"] == 59
    [error] = job.preview["errors"]
    assert error["line"] == 51 and error["messages"][0].startswith("«Localidad» no es un valor válido de «tipo».")
    assert Territory.objects.count() == 0


def test_progress_is_visible_to_other_processes_while_the_check_runs(client, staff, settings, monkeypatch):
    """The check is one transaction; its heartbeat and progress go through a connection of their own."""
    settings.INDICATOR_IMPORT_HEARTBEAT_SECONDS = 0.003
    seen: list[tuple[int, str]] = []
    beat = admin_imports._Beacon.beat

    def watched(beacon: admin_imports._Beacon) -> None:
        beat(beacon)
        outsider = connections.create_connection(DEFAULT_DB_ALIAS)  # as the web server reads the job
        try:
            with outsider.cursor() as cursor:
                cursor.execute("SELECT rows_done, state FROM implan_adminimport WHERE id = %s", [beacon.job.pk])
                seen.append(cursor.fetchone())
        finally:
            outsider.close()

    monkeypatch.setattr(admin_imports._Beacon, "beat", watched)
    client.force_login(staff)
    job_id = _job_id(upload(client, Territory, localities(60)))
    tasks.run_waiting_tasks()
    assert AdminImport.objects.get(pk=job_id).state == AdminImportState.READY
    progress = [done for done, state in seen if state == AdminImportState.CHECKING]
    assert progress and 0 < max(progress) <= 60 and progress == sorted(progress)


def test_an_import_whose_worker_died_is_marked_interrupted_and_its_retry_imports_once(client, staff):
    client.force_login(staff)
    job_id = _job_id(upload(client, Territory, localities(30)))
    tasks.run_waiting_tasks()
    client.post(reverse("admin:implan_adminimport_confirm", args=[job_id]))
    # The worker took it and died: the transaction rolled back, the job stays «importando», silent.
    last_sign = timezone.now() - datetime.timedelta(minutes=5)
    AdminImport.objects.filter(pk=job_id).update(state=AdminImportState.IMPORTING, attempt=2, heartbeat_at=last_sign)
    tasks.run_waiting_tasks()  # the confirmation's task finds the job taken: nothing to do
    call_command("mark_stalled_jobs", stdout=open(os.devnull, "w"))
    call_command("mark_stalled_jobs", stdout=open(os.devnull, "w"))
    job = AdminImport.objects.get(pk=job_id)
    assert (job.state, job.interrupted_step) == (AdminImportState.FAILED, AdminImportState.IMPORTING)
    page = client.get(reverse("admin:implan_adminimport_change", args=[job_id])).content.decode()
    assert "Reintentar" in page and "Descartar" in page and "No se importó nada" in page
    retry = reverse("admin:implan_adminimport_retry", args=[job_id])
    client.post(retry)
    client.post(retry)  # a double click
    assert tasks.run_waiting_tasks() == 1
    assert AdminImport.objects.get(pk=job_id).state == AdminImportState.DONE and Territory.objects.count() == 30


def test_a_job_whose_task_was_lost_is_queued_again_once_by_the_periodic_command(client, staff, monkeypatch):
    """The web process died between the upload's commit and the enqueue that follows it."""
    enqueued: list[str] = []

    def remember(sender: object, task_result, **kwargs: object) -> None:
        enqueued.append(task_result.task.name)

    client.force_login(staff)
    with monkeypatch.context() as lost:
        lost.setattr(admin_imports, "enqueue_on_commit", lambda *args, **kwargs: None)
        job_id = _job_id(upload(client, Territory, localities(10)))
    assert tasks.run_waiting_tasks() == 0  # nothing ever reached the queue
    task_enqueued.connect(remember, weak=False)
    try:
        uploaded = AdminImport.objects.get(pk=job_id).updated_at
        with time_machine.travel(uploaded + datetime.timedelta(seconds=599), tick=False):
            call_command("mark_stalled_jobs", stdout=open(os.devnull, "w"))
        assert enqueued == []  # within the threshold: perhaps the workers are only busy
        with time_machine.travel(uploaded + datetime.timedelta(seconds=601), tick=False):
            call_command("mark_stalled_jobs", stdout=open(os.devnull, "w"))
            call_command("mark_stalled_jobs", stdout=open(os.devnull, "w"))  # twice, or on two machines
        assert enqueued == ["admin_import_run"]
    finally:
        task_enqueued.disconnect(remember)
    assert tasks.run_waiting_tasks() == 1
    job = AdminImport.objects.get(pk=job_id)
    assert job.state == AdminImportState.READY
    assert [e.action for e in events_for(job)].count("reencolada") == 1


def test_an_indicator_load_whose_task_was_lost_is_queued_again_too(staff, monkeypatch):
    from tests.factories import IndicatorFactory, MunicipalityFactory

    MunicipalityFactory()
    IndicatorFactory(code="RQ-1")
    from django.contrib.auth.models import Group

    Group.objects.get_or_create(name="Planeación")
    planner = UserFactory(username="planeadora_perdida", roles=["Planeación"])
    content = b"indicador,territorio,periodo,valor\nRQ-1,11020,2020,1\n"
    monkeypatch.setattr("indicators.jobs.enqueue_on_commit", lambda *args, **kwargs: None)
    job = indicator_services.import_job_create(actor=planner, file_name="perdida.csv", content=content)
    monkeypatch.undo()
    later = ImportJob.objects.get(pk=job.pk).updated_at + datetime.timedelta(minutes=11)
    with time_machine.travel(later, tick=False):
        assert indicator_services.import_jobs_requeue_waiting() == 1
        assert indicator_services.import_jobs_requeue_waiting() == 0
    assert tasks.run_waiting_tasks() == 1
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.READY


@pytest.mark.django_db
def test_only_staff_may_start_an_import_even_past_the_admins_pages():
    from django.core.exceptions import PermissionDenied

    citizen = UserFactory(username="ciudadana")
    with pytest.raises(PermissionDenied):
        admin_imports.admin_import_create(
            actor=citizen,
            model_label="implan.territory",
            resource="implan.resources.TerritoryResource",
            input_format="csv",
            file_name="x.csv",
            content=b"code,name\nx,y\n",
        )
    assert not AdminImport.objects.exists()


@pytest.mark.django_db
def test_an_empty_upload_is_refused_on_the_form_and_keeps_no_job(client, superuser):
    client.force_login(superuser)
    response = upload(client, Territory, SimpleUploadedFile("vacio.csv", b"  \n"))
    assert response.status_code == 200
    assert "El archivo está vacío." in response.content.decode()
    assert not AdminImport.objects.exists()
