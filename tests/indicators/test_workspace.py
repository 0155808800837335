"""The planners' workspace: catalogue editing through services with history, uploads and their preview."""

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from implan.concurrency import token_for
from implan.errors import DomainError
from implan.events import events_for
from implan.models import Event
from indicators import jobs, services
from indicators.models import ImportJob, ImportJobState, Indicator, SdgCode
from tests.factories import AgencyFactory, IndicatorFactory, MunicipalityFactory, ObservationFactory, UserFactory

pytestmark = pytest.mark.django_db


def _form(**overrides):
    data = {
        "code": "SUS-10",
        "name": "Superficie reforestada",
        "definition": "Hectáreas reforestadas al año.",
        "formula": "Suma de hectáreas",
        "unit": "ha",
        "family": "sustentabilidad",
        "theme": "Medio ambiente",
        "polarity": "ascendente",
        "frequency": "anual",
        "source": "Dirección de Medio Ambiente",
        "territorial_level": "municipio",
        "is_published": "on",
    }
    return {**data, **overrides}


def test_a_planner_adds_an_indicator_with_its_sdg_codes_and_history(client, planner):
    agency = AgencyFactory()
    client.force_login(planner)
    codes = list(SdgCode.objects.filter(code__in=["15", "15.2.1"]).values_list("pk", flat=True))
    response = client.post(reverse("indicators:indicator_create"), _form(owner=agency.pk, sdg_codes=codes))
    indicator = Indicator.objects.get(code="SUS-10")
    assert response.status_code == 302 and response["Location"] == reverse(
        "indicators:workspace_indicator", args=[indicator.pk]
    )
    assert set(indicator.sdg_codes.values_list("code", flat=True)) == {"15", "15.2.1"}
    assert indicator.owner == agency and indicator.slug.startswith("sus-10")
    record = indicator.history.get(history_type="+")
    assert (record.history_user, record.history_change_reason) == (planner, "Alta en el catálogo")
    assert Event.objects.filter(action="indicador_creado").count() == 1


def test_editing_records_who_changed_what_and_why_and_the_page_shows_it(client, planner):
    indicator = IndicatorFactory(code="SUS-10", name="Antes")
    client.force_login(planner)
    client.post(
        reverse("indicators:indicator_update", args=[indicator.pk]),
        _form(name="Después", reason="Nombre oficial del INEGI", opened=token_for(indicator, services.EDITED_FIELDS)),
    )
    indicator.refresh_from_db()
    assert indicator.name == "Después"
    assert indicator.history.first().history_change_reason == "Nombre oficial del INEGI"
    html = client.get(reverse("indicators:workspace_indicator", args=[indicator.pk])).content.decode()
    assert "Historial" in html and "Nombre oficial del INEGI" in html and "Después" in html


def test_a_duplicate_or_malformed_code_is_refused_and_nothing_is_saved(client, planner):
    IndicatorFactory(code="SUS-10")
    client.force_login(planner)
    response = client.post(reverse("indicators:indicator_create"), _form(code="sus-10"))
    assert "Ya existe un indicador con la clave" in response.content.decode()
    response = client.post(reverse("indicators:indicator_create"), _form(code="=MAL CÓDIGO"))
    assert "Use letras sin acentos" in response.content.decode()
    assert Indicator.objects.count() == 1


def test_the_code_of_an_indicator_with_data_cannot_change(planner):
    observation = ObservationFactory()
    with pytest.raises(DomainError, match="no puede cambiar"):
        services.indicator_update(actor=planner, indicator=observation.indicator, data={"code": "OTRO-1"})
    assert Indicator.objects.get().code == observation.indicator.code


def test_only_planners_edit_the_catalogue(councillor):
    with pytest.raises(PermissionDenied, match="editar el catálogo de indicadores"):
        services.indicator_create(actor=councillor, data={"code": "X-1", "name": "X"})
    assert not Indicator.objects.exists()


def _upload(client, content: bytes, name: str = "datos.csv"):
    """Upload; the task is queued when the request's transaction commits, which never happens inside a test's
    transaction: the tests run the job themselves (the tasks themselves are tested in test_background.py)."""
    return client.post(
        reverse("indicators:import_list"), {"file": SimpleUploadedFile(name, content, content_type="text/csv")}
    )


def test_a_file_that_is_not_what_it_says_is_refused_on_the_form(client, planner):
    client.force_login(planner)
    response = _upload(client, b"%PDF-1.7 ...", name="datos.xlsx")
    assert response.status_code == 400
    assert "no es una hoja de Excel" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_oversized_upload_is_refused_before_it_is_read(client, planner, settings):
    settings.INDICATOR_IMPORT_MAX_BYTES = 50
    client.force_login(planner)
    response = _upload(client, b"indicador,territorio,periodo,valor\n" * 5)
    assert "el máximo es" in response.content.decode() and not ImportJob.objects.exists()


def test_the_preview_lists_errors_first_with_row_and_column(client, planner):
    MunicipalityFactory()
    IndicatorFactory(code="POB-001")
    client.force_login(planner)
    response = _upload(client, b"indicador,territorio,periodo,valor\nPOB-001,11020,2020,1\nPOB-001,11020,2021,x\n")
    job = ImportJob.objects.get()
    jobs.run_job(job.pk)
    html = client.get(response["Location"]).content.decode()
    assert "Rechazada" in html and "1 con error" in html and "1 nueva<" in html and "1 nuevas" not in html
    assert "Columna «valor»: «x» no es un número." in html
    assert "Confirmar y guardar" not in html
    all_rows = client.get(response["Location"], {"resultado": "todas"}).context["page"]
    assert [r.line for r in all_rows] == [2, 3]


def test_another_planner_sees_the_file_but_may_not_confirm_it(client, planner):
    MunicipalityFactory()
    IndicatorFactory(code="POB-001")
    job = services.import_job_create(
        actor=planner,
        file_name="a.csv",
        content=b"indicador,territorio,periodo,valor\nPOB-001,11020,2020,1\n",
        background=False,
    )
    jobs.run_job(job.pk)
    client.force_login(UserFactory(username="otra_planeadora", roles=["Planeación"]))
    assert client.get(reverse("indicators:import_detail", args=[job.pk])).status_code == 200
    assert client.post(reverse("indicators:import_confirm", args=[job.pk])).status_code == 403
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.READY


def test_the_export_form_downloads_a_selection_including_unpublished_indicators(client, planner):
    hidden = IndicatorFactory(code="OCULTO-1", is_published=False)
    ObservationFactory(indicator=hidden, period="2021", period_start="2021-01-01")
    client.force_login(planner)
    response = client.get(reverse("indicators:export_selection"), {"indicators": [hidden.pk], "fmt": "csv"})
    body = b"".join(response.streaming_content).decode()
    assert body.splitlines()[1].startswith("OCULTO-1,11020,11020,León,municipio,2021,2021,2021-01-01,total,10.5,")


def test_a_file_that_changes_nothing_is_not_offered_for_saving(client, planner):
    MunicipalityFactory()
    IndicatorFactory(code="POB-001")
    content = b"indicador,territorio,periodo,valor\nPOB-001,11020,2020,1\n"
    services.import_file_now(actor=planner, file_name="a.csv", content=content)
    again = services.import_file_now(actor=planner, file_name="a.csv", content=content)
    assert again.state == ImportJobState.UNCHANGED and again.counts["igual"] == 1
    client.force_login(planner)
    html = client.get(reverse("indicators:import_detail", args=[again.pk])).content.decode()
    assert "Confirmar y guardar" not in html and "No hay nada que confirmar" in html
    with pytest.raises(DomainError, match="ya no se puede confirmar"):
        services.import_job_confirm(actor=planner, job=again)


def test_one_row_reads_in_the_singular(client, planner):
    MunicipalityFactory()
    IndicatorFactory(code="POB-001")
    client.force_login(planner)
    response = _upload(client, b"indicador,territorio,periodo,valor\nPOB-001,11020,2020,1\n")
    jobs.run_job(ImportJob.objects.get().pk)
    html = client.get(response["Location"]).content.decode()
    assert "1 nueva<" in html and "<caption>1 fila</caption>" in html
    assert "1 nuevas" not in html and "1 filas" not in html
    job = ImportJob.objects.get()
    services.import_job_confirm(actor=planner, job=job)
    jobs.run_job(job.pk)
    assert "1 nueva, 0 con cambios, 0 sin cambios" in [event.note for event in events_for(job)]
