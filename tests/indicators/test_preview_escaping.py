"""Hostile text in an uploaded file — its name, an unknown code, a value, a note — is shown as text in the preview."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from indicators import jobs
from indicators.models import ImportJob
from tests.factories import IndicatorFactory, MunicipalityFactory
from tests.payloads import XSS_PAYLOADS, injected

pytestmark = pytest.mark.django_db


def test_payloads_in_a_file_and_its_name_are_escaped_in_the_preview_and_the_list(client, planner):
    MunicipalityFactory()
    IndicatorFactory(code="POB-001")
    rows = ["indicador,territorio,periodo,valor,nota"]
    for n, payload in enumerate(XSS_PAYLOADS):
        cell = '"' + payload.replace('"', '""') + '"'
        rows.append(f"{cell},11020,2020,1,x")  # unknown indicator code: an error row quoting the cell
        rows.append(f"POB-001,11020,{2001 + n},{cell},x")  # not a number: an error row quoting the value
        rows.append(f"POB-001,11020,{1980 + n},1,{cell}")  # a note
    content = ("\n".join(rows) + "\n").encode()
    client.force_login(planner)
    upload = SimpleUploadedFile('<img src=x onerror="window.__xss=1">.csv', content, content_type="text/csv")
    response = client.post(reverse("indicators:import_list"), {"file": upload})  # queued after a commit: never here
    job = ImportJob.objects.get()
    jobs.run_job(job.pk)
    for page in (reverse("indicators:import_detail", args=[job.pk]), reverse("indicators:import_list")):
        html = client.get(page, {"resultado": "todas"}).content.decode()
        assert "__xss" in html, "the hostile text must be on the page, shown as text"
        assert injected(html) == [], page
    assert response.status_code == 302
