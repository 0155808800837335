"""Posting real CSV and XLSX files to the Django admin's import pages: the preview (dry run), then the confirmation."""

import csv
import io
from collections.abc import Sequence

from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import models
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook

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


def preview(client: Client, model: type[models.Model], file: SimpleUploadedFile) -> HttpResponse:
    """The first step: the file is read and every row checked inside a transaction that is rolled back."""
    return client.post(_url(model, "import"), {"import_file": file, "format": _format(model, file)})


def confirm(client: Client, model: type[models.Model], previewed: HttpResponse) -> HttpResponse:
    """The second step, as the preview page's «Confirmar importación» button posts it."""
    form = previewed.context["confirm_form"]
    return client.post(_url(model, "process_import"), {name: form.initial.get(name, "") for name in form.fields})


def row_errors(response: HttpResponse) -> list[str]:
    """Every message the page shows for the file's rows and for the file as a whole."""
    result = response.context["result"]
    messages = [str(e.error) for e in result.base_errors]
    for row in result.invalid_rows:
        messages += [str(m) for errors in row.error_dict.values() for m in errors]
    for _number, errors in result.row_errors():
        messages += [str(e.error) for e in errors]
    return messages
