"""Files are checked and saved by a task on each backend for real: the database backend on PostgreSQL and RQ on
Redis, each run by its own worker (``implan.tasks.run_waiting_tasks``), never by the request."""

import pytest
from django.urls import reverse
from django.utils import timezone

from implan import tasks
from implan.events import events_for
from indicators import jobs, services
from indicators.models import ImportJob, ImportJobState, ImportRow, Observation
from tests.factories import ImportJobFactory, IndicatorFactory, MunicipalityFactory, UserFactory

CSV = b"indicador,territorio,periodo,valor\n" + b"".join(b"BG-1,11020,%d,%d\n" % (y, y % 7) for y in range(1900, 2025))


@pytest.fixture
def setup(tasks_backend, role_groups_db):
    MunicipalityFactory()
    IndicatorFactory(code="BG-1")
    return UserFactory(username="planeador_tarea", roles=["Planeación"])


@pytest.fixture
def role_groups_db(transactional_db):
    from django.contrib.auth.models import Group

    from implan import roles

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


def _upload(client, content: bytes = CSV) -> int:
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile("carga.csv", content, content_type="text/csv")
    response = client.post(reverse("indicators:import_list"), {"file": upload})
    return int(response["Location"].rstrip("/").split("/")[-1])


def test_an_upload_returns_at_once_and_a_worker_checks_and_then_saves_the_file(client, setup):
    client.force_login(setup)
    job_id = _upload(client)
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.QUEUED  # the request did not do the work
    assert tasks.run_waiting_tasks() == 1
    job = ImportJob.objects.get(pk=job_id)
    assert job.state == ImportJobState.READY and job.counts["nueva"] == 125 and job.percent == 100
    progress = client.get(reverse("indicators:import_progress", args=[job_id])).json()
    assert progress == {
        "state": "lista",
        "label": "Lista para confirmar",
        "done": 125,
        "total": 125,
        "percent": 100,
        "running": False,
    }
    assert Observation.objects.count() == 0  # nothing saved before the confirmation
    client.post(reverse("indicators:import_confirm", args=[job_id]))
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.CONFIRMED
    assert tasks.run_waiting_tasks() == 1
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.DONE
    assert Observation.objects.count() == 125 and Observation.history.count() == 125
    assert tasks.run_waiting_tasks() == 0  # nothing left behind on the queue


def test_a_task_delivered_twice_checks_and_saves_the_file_once(client, setup):
    client.force_login(setup)
    job_id = _upload(client)
    tasks.enqueue(jobs.import_job_run, job_id)  # the same step asked for again (a redelivery, a double enqueue)
    assert tasks.run_waiting_tasks() == 2
    job = ImportJob.objects.get(pk=job_id)
    assert (job.state, job.attempt) == (ImportJobState.READY, 1)
    assert ImportRow.objects.filter(job_id=job_id).count() == 125
    client.post(reverse("indicators:import_confirm", args=[job_id]))
    tasks.enqueue(jobs.import_job_run, job_id)
    tasks.enqueue(jobs.import_job_run, job_id)
    assert tasks.run_waiting_tasks() == 3
    job = ImportJob.objects.get(pk=job_id)
    assert (job.state, job.attempt) == (ImportJobState.DONE, 2)
    assert Observation.objects.count() == 125 and Observation.history.count() == 125
    assert [e.to_state for e in events_for(job)].count(ImportJobState.DONE) == 1


def test_a_save_that_fails_at_its_commit_leaves_nothing_half_saved_and_can_be_retried(client, setup):
    client.force_login(setup)
    job_id = _upload(client)
    tasks.run_waiting_tasks()
    last = ImportRow.objects.filter(job_id=job_id).order_by("-line").first()
    # A territory deleted since the preview: the database refuses the last row only when the save commits
    # (foreign keys are checked at commit), after every observation, history row and the job's end were written.
    ImportRow.objects.filter(pk=last.pk).update(territory_id=987_654)
    client.post(reverse("indicators:import_confirm", args=[job_id]))
    assert tasks.run_waiting_tasks() == 1
    job = ImportJob.objects.get(pk=job_id)
    assert (job.state, job.interrupted_step) == (ImportJobState.FAILED, ImportJobState.APPLYING)
    assert "no se guardó nada" in job.message and job.counts["nueva"] == 125  # the preview's counts, not the save's
    assert Observation.objects.count() == 0 and Observation.history.count() == 0
    ImportRow.objects.filter(pk=last.pk).update(territory_id=last.territory_id)
    assert services.import_job_retry(actor=setup, job=job).state == ImportJobState.CONFIRMED
    assert tasks.run_waiting_tasks() == 1
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.DONE
    assert Observation.objects.count() == 125 and Observation.history.count() == 125


def test_a_file_waits_on_the_queue_until_a_worker_runs_it(client, setup):
    client.force_login(setup)
    job_id = _upload(client)
    html = client.get(reverse("indicators:import_detail", args=[job_id])).content.decode()
    assert "En cola" in html
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.QUEUED  # waiting is not being dead
    services.import_jobs_interrupt_stalled(now=timezone.now() + timezone.timedelta(hours=1))
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.QUEUED
    tasks.run_waiting_tasks()
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.READY


def test_when_the_queue_refuses_the_task_the_file_says_so_and_can_be_retried(client, setup, settings, tasks_backend):
    if tasks_backend != "rq":
        pytest.skip("only a queue in another service can refuse a task once the upload has committed")
    queue = settings.TASKS_QUEUE
    reachable = dict(settings.RQ_QUEUES)
    settings.TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": [queue]}}
    settings.RQ_QUEUES = {queue: {"URL": "redis://127.0.0.1:1/0"}}  # nothing listens there
    client.force_login(setup)
    job_id = _upload(client)
    job = ImportJob.objects.get(pk=job_id)
    assert (job.state, job.interrupted_step) == (ImportJobState.FAILED, ImportJobState.QUEUED)
    assert "no pudo ponerse en cola" in job.message
    html = client.get(reverse("indicators:import_detail", args=[job_id])).content.decode()
    assert "Reintentar" in html and "Descartar" in html
    settings.RQ_QUEUES = reachable
    client.post(reverse("indicators:import_retry", args=[job_id]))
    assert tasks.run_waiting_tasks() == 1
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.READY


def test_old_previews_nobody_decided_on_are_discarded_and_purged_but_the_job_stays(planner):
    MunicipalityFactory()
    IndicatorFactory(code="BG-1")
    job = ImportJobFactory(created_by=planner, file_name="x.csv", content=CSV)
    jobs.run_job(job.pk)
    assert ImportRow.objects.filter(job=job).count() == 125
    assert jobs.purge_old_previews(days=14) == 0
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timezone.timedelta(days=15))
    assert jobs.purge_old_previews(days=14) == 125
    job.refresh_from_db()
    assert job.state == ImportJobState.DISCARDED and "nadie la confirmó" in job.message
