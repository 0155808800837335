"""Posting real CSV and XLSX files to the Django admin's import pages: the preview (dry run), then the confirmation."""

import csv
import io
import re
from collections.abc import Sequence

from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

from implan import admin_imports
from implan.models import AdminImportState

Rows = Sequence[Sequence[object]]


def csv_file(name: str, rows: Rows) -> SimpleUploadedFile:
    text = io.StringIO()
    csv.writer(text).writerows(rows)
    return SimpleUploadedFile(name, text.getvalue().encode("utf-8"), content_type="text/csv")


def xlsx_file(name: str, rows: Rows) -> SimpleUploadedFile:
    book = Workbook()
    for row in rows:
        book.active.append(list(row))
    content = io.BytesIO()
    book.save(content)
    return SimpleUploadedFile(
        name, content.getvalue(), content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )


def _url(model: type[models.Model], step: str) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{step}")


def _format(model: type[models.Model], file: SimpleUploadedFile) -> str:
    title = file.name.rsplit(".", 1)[-1].lower()
    formats = admin.site._registry[model].get_import_formats()
    return next(str(i) for i, f in enumerate(formats) if f().get_title() == title)


def upload(client: Client, model: type[models.Model], file: SimpleUploadedFile) -> HttpResponse:
    """The upload: the file is kept as a job (``implan.AdminImport``) and the browser sent to the job's page."""
    return client.post(_url(model, "import"), {"import_file": file, "format": _format(model, file)})


def job_page(client: Client, job_id: int) -> HttpResponse:
    return client.get(reverse("admin:implan_adminimport_change", args=[job_id]))


def _job_id(response: HttpResponse) -> int:
    assert response.status_code == 302, getattr(response, "context", None) and response.context.get("form").errors
    return int(re.search(r"/adminimport/(\d+)/", response["Location"]).group(1))


def preview(client: Client, model: type[models.Model], file: SimpleUploadedFile) -> HttpResponse:
    """The first step: the upload, then the check a worker runs (here in the test's process, as the task would, with
    the test's transaction still open), then the job's page with the preview."""
    job_id = _job_id(upload(client, model, file))
    admin_imports.run_job(job_id)
    return job_page(client, job_id)


def confirm(client: Client, model: type[models.Model], previewed: HttpResponse) -> HttpResponse:
    """The second step, as the preview page's «Confirmar importación» button posts it; then the import a worker runs,
    and the job's page with the outcome."""
    job = previewed.context["job"]
    response = client.post(reverse("admin:implan_adminimport_confirm", args=[job.pk]))
    assert response.status_code == 302
    admin_imports.run_job(job.pk)
    return job_page(client, job.pk)


def can_confirm(response: HttpResponse) -> bool:
    """The preview offers «Confirmar importación»."""
    return response.context["job"].state == AdminImportState.READY


def imported(response: HttpResponse) -> bool:
    return response.context["job"].state == AdminImportState.DONE


def row_errors(response: HttpResponse) -> list[str]:
    """Every message the job's page shows for the file's rows and for the file as a whole."""
    job = response.context["job"]
    messages = [job.message] if job.state == AdminImportState.REFUSED and not job.preview.get("errors") else []
    return messages + [message for error in response.context["errors"] for message in error["messages"]]
