"""Files are checked and saved in the background for real: a thread of the portal, or the worker command."""

import time

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from indicators import jobs
from indicators.models import ImportJob, ImportJobState, Observation
from tests.factories import ImportJobFactory, IndicatorFactory, MunicipalityFactory, UserFactory

CSV = b"indicador,territorio,periodo,valor\n" + b"".join(b"BG-1,11020,%d,%d\n" % (y, y % 7) for y in range(1900, 2025))


def _wait_for(job_id: int, *states: str, seconds: float = 30) -> ImportJob:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        job = ImportJob.objects.defer("content").get(pk=job_id)
        if job.state in states:
            return job
        time.sleep(0.1)
    raise AssertionError(f"la carga siguió en «{job.state}»")


@pytest.fixture
def setup(transactional_db, role_groups_db):
    MunicipalityFactory()
    IndicatorFactory(code="BG-1")
    return UserFactory(username="planeador_hilo", roles=["Planeación"])


@pytest.fixture
def role_groups_db(transactional_db):
    from django.contrib.auth.models import Group

    from implan import roles

    for name in roles.ALL_ROLES:
        Group.objects.get_or_create(name=name)


def test_an_upload_returns_at_once_and_a_thread_checks_and_then_saves_the_file(client, setup, settings):
    settings.INDICATOR_IMPORT_RUNNER = "thread"
    client.force_login(setup)
    response = client.post(reverse("indicators:import_list"), {"file": _upload("carga.csv", CSV)})
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    job = _wait_for(job_id, ImportJobState.READY, ImportJobState.REFUSED, ImportJobState.FAILED)
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
    job = _wait_for(job_id, ImportJobState.DONE, ImportJobState.FAILED)
    assert job.state == ImportJobState.DONE
    assert Observation.objects.count() == 125


def test_the_worker_command_runs_waiting_jobs_when_threads_are_off(client, setup, settings):
    settings.INDICATOR_IMPORT_RUNNER = "worker"
    client.force_login(setup)
    response = client.post(reverse("indicators:import_list"), {"file": _upload("carga.csv", CSV)})
    job_id = int(response["Location"].rstrip("/").split("/")[-1])
    time.sleep(0.3)
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.QUEUED  # nobody ran it
    call_command("run_import_worker", "--once", stdout=open("/dev/null", "w"))
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.READY
    client.post(reverse("indicators:import_confirm", args=[job_id]))
    call_command("run_import_worker", "--once", stdout=open("/dev/null", "w"))
    assert ImportJob.objects.get(pk=job_id).state == ImportJobState.DONE
    assert Observation.objects.count() == 125


def test_a_job_is_run_once_even_if_two_workers_ask_for_it(setup, settings):
    settings.INDICATOR_IMPORT_RUNNER = "worker"
    job = ImportJobFactory(created_by=setup, file_name="x.csv", content=CSV)
    assert jobs.run_job(job.pk) is not None
    assert jobs.run_job(job.pk) is None  # already checked: nothing to do
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.READY


def _upload(name: str, content: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, content, content_type="text/csv")


def test_old_previews_nobody_decided_on_are_discarded_and_purged_but_the_job_stays(setup):
    from indicators.models import ImportRow

    job = ImportJobFactory(created_by=setup, file_name="x.csv", content=CSV)
    jobs.run_job(job.pk)
    assert ImportRow.objects.filter(job=job).count() == 125
    assert jobs.purge_old_previews(days=14) == 0
    ImportJob.objects.filter(pk=job.pk).update(updated_at=timezone.now() - timezone.timedelta(days=15))
    assert jobs.purge_old_previews(days=14) == 125
    job.refresh_from_db()
    assert job.state == ImportJobState.DISCARDED and "nadie la confirmó" in job.message
