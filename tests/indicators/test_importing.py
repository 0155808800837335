"""Loading observations from real-shaped files; every refusal saves nothing and names row and column."""

import io
import zipfile
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from openpyxl import Workbook

from implan.errors import DomainError
from indicators import importing, jobs, services
from indicators.models import Frequency, ImportJob, ImportJobState, ImportRow, Observation, RowOutcome
from tests.factories import IndicatorFactory, MunicipalityFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    leon = MunicipalityFactory()
    delegacion = TerritoryFactory(code="del-norte", name="Delegación Norte")
    IndicatorFactory(code="POB-001", frequency=Frequency.YEARLY)
    IndicatorFactory(code="EMP-002", frequency=Frequency.QUARTERLY)
    return leon, delegacion


def load(planner, text: str | bytes, name: str = "datos.csv", encoding: str = "utf-8") -> ImportJob:
    content = text if isinstance(text, bytes) else text.encode(encoding)
    return services.import_file_now(actor=planner, file_name=name, content=content)


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return [
        (row.line, column, message)
        for row in ImportRow.objects.filter(job=job, outcome=RowOutcome.ERROR).order_by("line")
        for column, message in row.error_list
    ]


def test_utf8_with_bom_semicolons_decimal_commas_and_blank_trailing_rows(world, planner):
    content = (
        "\ufeffIndicador;Territorio;Período;Valor;Nota\nPOB-001;11020;2020;1.721.215,0;Censo\n"
        "EMP-002;del-norte;2024-T3;7,5;\n;;;;\n;;;;\n"
    )
    job = load(planner, content)
    assert job.state == ImportJobState.DONE
    assert job.counts == {"nueva": 2, "cambia": 0, "igual": 0, "error": 0}
    values = dict(Observation.objects.values_list("indicator__code", "value"))
    assert values == {"POB-001": Decimal("1721215"), "EMP-002": Decimal("7.5")}


def test_windows_1252_commas_thousands_and_counts_written_as_7_0(world, planner):
    content = (
        'indicador,territorio,periodo,valor,nota\nPOB-001,11020,2021,"1,734,000",Estimación de población\n'
        "POB-001,11020,2022,7.0,Año base\n"
    )
    job = load(planner, content, encoding="cp1252")
    assert job.state == ImportJobState.DONE
    assert Observation.objects.get(period="2021").value == Decimal("1734000")
    assert Observation.objects.get(period="2022").note == "Año base"
    assert Observation.objects.get(period="2022").value == Decimal("7")


def test_headers_without_accents_extra_columns_lowercase_codes_and_status(world, planner):
    content = (
        "CLAVE_INDICADOR\tNombre del territorio\tCVE_INEGI\tANIO\tDATO\tESTATUS\n"
        "pob-001\tLeón\t11020\t2023.0\t12.5\tPreliminar\n"
    )
    load(planner, content, name="datos.txt")
    observation = Observation.objects.get()
    assert (observation.period, observation.value, observation.status) == ("2023", Decimal("12.5"), "preliminar")


def test_xlsx_with_years_typed_as_numbers(world, planner):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicador", "Territorio", "Periodo", "Valor"])
    sheet.append(["POB-001", 11020, 2019, 12.25])
    sheet.append([None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = load(planner, buffer.getvalue(), name="datos.xlsx")
    assert job.counts["nueva"] == 1
    assert Observation.objects.get().value == Decimal("12.25")


def test_reimporting_the_same_file_changes_nothing_and_a_correction_updates_only_what_changed(world, planner):
    content = "indicador,territorio,periodo,valor\nPOB-001,11020,2020,10\nPOB-001,11020,2021,11\n"
    load(planner, content, name="a.csv")
    history_rows = Observation.history.count()
    job = load(planner, content, name="a.csv")
    assert job.counts == {"nueva": 0, "cambia": 0, "igual": 2, "error": 0}
    assert Observation.history.count() == history_rows
    job = load(planner, content.replace("2021,11", "2021,12"), name="a-corregido.csv")
    assert job.counts == {"nueva": 0, "cambia": 1, "igual": 1, "error": 0}
    assert Observation.objects.get(period="2021").value == Decimal("12")
    assert Observation.history.count() == history_rows + 1
    assert Observation.objects.get(period="2020").source_file == "a.csv"  # untouched row keeps its origin


def test_a_file_without_the_note_column_keeps_the_stored_notes(world, planner):
    load(planner, "indicador,territorio,periodo,valor,nota\nPOB-001,11020,2020,10,Censo\n")
    job = load(planner, "indicador,territorio,periodo,valor\nPOB-001,11020,2020,10\n")
    assert job.counts["igual"] == 1
    assert Observation.objects.get().note == "Censo"


def test_every_imported_value_has_history_with_the_user_and_the_file(world):
    user = UserFactory(username="carga", roles=["Planeación"])
    load(user, "indicador,territorio,periodo,valor\nPOB-001,11020,2020,10\n", name="censo.csv")
    load(user, "indicador,territorio,periodo,valor\nPOB-001,11020,2020,11\n", name="censo-2.csv")
    created, changed = Observation.history.order_by("history_id")
    assert (created.history_user, created.history_type, created.value) == (user, "+", Decimal("10"))
    assert created.history_change_reason == "Importado del archivo censo.csv"
    assert (changed.history_user, changed.history_type, changed.value) == (user, "~", Decimal("11"))
    assert changed.history_change_reason == "Importado del archivo censo-2.csv"
    assert Observation.objects.get().loaded_by == user


@pytest.mark.parametrize("returning", [True, False])
def test_both_ways_of_saving_write_the_same_rows_and_history(world, planner, returning):
    load(planner, "indicador,territorio,periodo,valor\nPOB-001,11020,2020,1\n")
    job = services.import_job_create(
        actor=planner,
        file_name="b.csv",
        content=b"indicador,territorio,periodo,valor\nPOB-001,11020,2020,2\nPOB-001,11020,2021,3\n",
    )
    jobs.run_job(job.pk)
    job.refresh_from_db()
    services.import_job_confirm(actor=planner, job=job)
    job.refresh_from_db()
    ImportJob.objects.filter(pk=job.pk).update(state=ImportJobState.APPLYING)  # as a worker claims it
    job.state = ImportJobState.APPLYING
    jobs.apply(job, returning=returning)
    assert dict(Observation.objects.values_list("period", "value")) == {"2020": 2, "2021": 3}
    assert sorted(
        Observation.history.filter(history_change_reason__contains="b.csv").values_list("period", "history_type")
    ) == [("2020", "~"), ("2021", "+")]


def test_the_save_compares_again_with_what_was_stored_or_deleted_since_the_preview(world, planner):
    load(planner, "indicador,territorio,periodo,valor\nPOB-001,11020,2020,1\n")
    job = services.import_job_create(
        actor=planner,
        file_name="c.csv",
        content=b"indicador,territorio,periodo,valor\nPOB-001,11020,2020,2\nPOB-001,11020,2021,3\nPOB-001,11020,2022,4\n",
        background=False,
    )
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.counts == {"nueva": 2, "cambia": 1, "igual": 0, "error": 0}
    # Since the preview: the changed value was deleted (it is new again) and one of the new ones was stored as the
    # file says it (it is unchanged now, and the save writes no history for it).
    Observation.objects.filter(period="2020").delete()
    load(planner, "indicador,territorio,periodo,valor\nPOB-001,11020,2022,4\n", name="otro.csv")
    job = services.import_job_confirm(actor=planner, job=job, background=False)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == ImportJobState.DONE
    assert job.counts == {"nueva": 2, "cambia": 0, "igual": 1, "error": 0}
    assert dict(Observation.objects.values_list("period", "value")) == {"2020": 2, "2021": 3, "2022": 4}
    assert sorted(
        Observation.history.filter(history_change_reason__contains="c.csv").values_list("period", "history_type")
    ) == [("2020", "+"), ("2021", "+")]


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("NOEXISTE,11020,2020,1", "indicador", "No existe un indicador con la clave «NOEXISTE»"),
        ("POB-001,99999,2020,1", "territorio", "No existe un territorio con la clave «99999»"),
        ("POB-001,11020,2020,mucho", "valor", "«mucho» no es un número"),
        ("POB-001,11020,2020,0/0", "valor", "«0/0» no es un número"),
        ("POB-001,11020,2020-T1,1", "periodo", "no es un periodo anual válido"),
        ("EMP-002,11020,2020,1", "periodo", "no es un periodo trimestral válido"),
        ("POB-001,11020,2019,1", "periodo", "Repite el indicador, territorio, periodo y desagregación de la fila 2"),
        ("POB-001,11020,2020,123456789012345678", "valor", "demasiado grande"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(world, planner, row, column, message):
    job = load(planner, f"indicador,territorio,periodo,valor\nPOB-001,11020,2019,1\n{row}\nPOB-001,11020,2021,1\n")
    assert job.state == ImportJobState.REFUSED
    assert Observation.objects.count() == 0 and Observation.history.count() == 0
    assert job.counts["error"] == 1 and job.counts["nueva"] == 2
    ((line, found_column, found_message),) = errors_of(job)
    assert (line, found_column) == (3, column)
    assert message in found_message


def test_a_refused_file_cannot_be_confirmed(world, planner):
    job = load(planner, "indicador,territorio,periodo,valor\nPOB-001,11020,x,1\n")
    with pytest.raises(DomainError, match="ya no se puede confirmar"):
        services.import_job_confirm(actor=planner, job=job)
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.REFUSED


def test_only_the_uploader_or_an_administrator_decides_on_a_file(world, planner, administrator):
    other = UserFactory(username="otro_planeador", roles=["Planeación"])
    job = services.import_job_create(
        actor=planner,
        file_name="x.csv",
        content=b"indicador,territorio,periodo,valor\nPOB-001,11020,2020,1\n",
        background=False,
    )
    jobs.run_job(job.pk)
    with pytest.raises(PermissionDenied, match="Solo quien cargó el archivo"):
        services.import_job_confirm(actor=other, job=job)
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.READY
    services.import_job_discard(actor=administrator, job=job)
    assert ImportJob.objects.get(pk=job.pk).state == ImportJobState.DISCARDED
    assert not ImportRow.objects.filter(job=job).exists()


def test_someone_without_the_planning_role_cannot_load_files(world, councillor):
    with pytest.raises(PermissionDenied, match="puede cargar observaciones"):
        services.import_job_create(actor=councillor, file_name="x.csv", content=b"indicador\n")
    assert ImportJob.objects.count() == 0


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 not really", "datos.csv", "no es texto separado por comas"),
        (b"%PDF-1.4 indicador,territorio", "datos.csv", "no es texto separado por comas"),
        (b"indicador,territorio\n", "datos.xlsx", "no es una hoja de Excel"),
        (b"PK\x03\x04 broken zip", "datos.xlsx", "dañada"),
        (b"%PDF-1.4", "datos.pdf", "Solo se aceptan archivos CSV o XLSX"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused_at_upload(world, planner, content, name, message):
    with pytest.raises(DomainError, match=message):
        services.import_job_create(actor=planner, file_name=name, content=content)
    assert ImportJob.objects.count() == 0


def test_a_zip_that_is_not_a_workbook_is_refused(world, planner):
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hola.txt", "no soy Excel")
    with pytest.raises(DomainError, match="no es una hoja de Excel"):
        services.import_job_create(actor=planner, file_name="datos.xlsx", content=buffer.getvalue())


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (b"indicador,territorio,periodo\nPOB-001,11020,2020\n", "Faltan columnas: valor"),
        (b"\n\n", "vacío"),
        (b"indicador,territorio,periodo,valor\n,,,\n", "no tiene filas con datos"),
    ],
)
def test_files_without_the_needed_columns_or_rows_are_refused_with_a_reason(world, planner, content, message):
    job = load(planner, content)
    assert job.state == ImportJobState.REFUSED
    assert message in job.message
    assert Observation.objects.count() == 0


def test_a_file_over_the_size_limit_is_refused(world, planner, settings):
    settings.INDICATOR_IMPORT_MAX_BYTES = 100
    with pytest.raises(DomainError, match="el máximo es"):
        services.import_job_create(
            actor=planner,
            file_name="x.csv",
            content=b"indicador,territorio,periodo,valor\n" + b"POB-001,11020,2020,1\n" * 10,
        )
    assert ImportJob.objects.count() == 0


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(world, planner, settings):
    settings.INDICATOR_IMPORT_MAX_XLSX_BYTES = 1024 * 1024
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", b"<Types/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    assert len(buffer.getvalue()) < 50_000
    with pytest.raises(DomainError, match="descomprime"):
        services.import_job_create(actor=planner, file_name="bomba.xlsx", content=buffer.getvalue())
    assert ImportJob.objects.count() == 0


def test_a_cell_over_the_csv_modules_field_limit_is_an_error_of_its_row_and_column(world, planner):
    huge = "x" * 200_000  # the csv module stops at 131,072 characters
    job = load(
        planner,
        f"indicador,territorio,periodo,valor,nota\nPOB-001,11020,2019,1,ok\n"
        f"POB-001,11020,2020,2,{huge}\nPOB-001,11020,2021,3,ok\n",
    )
    assert job.state == ImportJobState.REFUSED and job.counts == {"nueva": 2, "cambia": 0, "igual": 0, "error": 1}
    assert errors_of(job) == [(3, "nota", "La celda tiene 200,000 caracteres; en la columna «nota» caben 500.")]


@pytest.mark.parametrize(
    ("cell", "column", "limit"), [("n" * 501, "nota", 500), ("1" * 201, "valor", 200), ("POB-" * 60, "indicador", 200)]
)
def test_a_cell_longer_than_its_column_holds_is_refused_not_cut(world, planner, cell, column, limit):
    cells = {"indicador": "POB-001", "valor": "1", "nota": "ok"} | {column: cell}
    job = load(
        planner,
        f"indicador,territorio,periodo,valor,nota\n{cells['indicador']},11020,2019,{cells['valor']},{cells['nota']}\n",
    )
    assert job.state == ImportJobState.REFUSED and Observation.objects.count() == 0
    ((line, found_column, message),) = errors_of(job)
    assert (line, found_column) == (2, column) and f"caben {limit}." in message


def test_an_xlsx_cell_over_its_columns_limit_is_refused_too(world, planner):
    workbook = Workbook()
    workbook.active.append(["Indicador", "Territorio", "Periodo", "Valor", "Nota"])
    workbook.active.append(["POB-001", 11020, 2019, 1, "n" * 32_000])
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = load(planner, buffer.getvalue(), name="datos.xlsx")
    assert errors_of(job) == [(2, "nota", "La celda tiene 32,000 caracteres; en la columna «nota» caben 500.")]


def _rows(count: int) -> str:
    return "".join(f"POB-001,11020,{1800 + n},5,nota de la fila\n" for n in range(count))


def test_a_nul_byte_past_the_first_4_kb_is_an_error_of_its_row_and_column(world, planner):
    # The check for binary files looks at the first 4 KB only; this NUL used to reach PostgreSQL's COPY and end the
    # job as an unexpected error, with a retry that could only fail again.
    content = f"indicador,territorio,periodo,valor,nota\n{_rows(150)}POB-001,11020,2100,5,a\x00b\n".encode()
    assert content.index(b"\x00") > 4096
    job = load(planner, content)
    assert job.state == ImportJobState.REFUSED and job.counts["error"] == 1 and job.counts["nueva"] == 150
    assert errors_of(job) == [
        (
            152,
            "nota",
            "La celda de la columna «nota» tiene un carácter de control invisible "
            "(U+0000) que no se puede guardar: bórrelo o vuelva a exportar el archivo.",
        )
    ]
    assert Observation.objects.count() == 0


@pytest.mark.parametrize(
    ("row", "column", "code"),
    [
        ("POB-001,110\x0020,2020,1,ok", "territorio", "U+0000"),
        ("POB\x1b-001,11020,2020,1,ok", "indicador", "U+001B"),
        ("POB-001,11020,2020,1\x7f,ok", "valor", "U+007F"),
        ("POB-001,11020,20\x0820,1,ok", "periodo", "U+0008"),
        ("POB-001,11020,2020,1,a\x85b", "nota", "U+0085"),
    ],
)
def test_a_control_character_in_any_cell_read_is_an_error_of_its_row_and_column(world, planner, row, column, code):
    job = load(planner, f"indicador,territorio,periodo,valor,nota\nPOB-001,11020,2019,1,ok\n{row}\n")
    assert job.state == ImportJobState.REFUSED and Observation.objects.count() == 0
    ((line, found_column, message),) = errors_of(job)
    assert (line, found_column) == (3, column) and f"carácter de control invisible ({code})" in message


def test_tabs_and_line_breaks_in_a_note_are_text(world, planner):
    job = load(planner, 'indicador,territorio,periodo,valor,nota\nPOB-001,11020,2019,1,"Censo\r\n\tampliado"\n')
    assert job.state == ImportJobState.DONE
    assert Observation.objects.get().note == "Censo\r\n\tampliado"


def test_the_preview_shows_a_control_character_as_a_symbol_and_summarises_it(client, world, planner):
    job = load(planner, "indicador,territorio,periodo,valor\nPOB-001,110\x0020,2019,1\n")
    client.force_login(planner)
    html = client.get(reverse("indicators:import_detail", args=[job.pk])).content.decode()
    assert "110\u240020" in html
    assert "1 celda con un carácter de control invisible en la columna «territorio»" in html


def test_an_xlsx_cell_with_a_control_character_is_an_error_of_its_row_and_column(world, planner):
    workbook = Workbook()
    workbook.active.append(["Indicador", "Territorio", "Periodo", "Valor", "Nota"])
    workbook.active.append(["POB-001", 11020, 2019, 1, "a\x9bb"])  # a C1 character: XML allows it, so Excel too
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = load(planner, buffer.getvalue(), name="datos.xlsx")
    assert job.state == ImportJobState.REFUSED and Observation.objects.count() == 0
    ((line, column, message),) = errors_of(job)
    assert (line, column) == (2, "nota") and "(U+009B)" in message


def test_an_xlsx_damaged_past_its_first_rows_is_refused_as_a_file_not_failed(world, planner):
    workbook = Workbook()
    workbook.active.append(["Indicador", "Territorio", "Periodo", "Valor", "Nota"])
    for year in (2019, 2020, 2021):
        workbook.active.append(["POB-001", 11020, year, 1, f"nota {year}"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    damaged = io.BytesIO()
    with zipfile.ZipFile(buffer) as source, zipfile.ZipFile(damaged, "w") as target:
        for info in source.infolist():
            data = source.read(info.filename)
            # A reference to NUL, which XML forbids: the sheet's parser stops there, halfway through the rows.
            target.writestr(info, data.replace(b"nota 2021", b"nota &#0;"))
    job = load(planner, damaged.getvalue(), name="datos.xlsx")
    assert job.state == ImportJobState.REFUSED
    assert job.message == "La hoja de Excel está dañada después de la fila 3 y no se pudo leer completa."
    assert not ImportRow.objects.filter(job=job).exists() and Observation.objects.count() == 0


@pytest.mark.parametrize(
    "content",
    [
        "indicador,territorio,periodo,valor\nPOB-001,11020,2019,1\n".encode("utf-16"),  # Excel's «Texto Unicode»
        b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 512 + b"indicador,territorio",  # an .xls renamed .csv
    ],
)
def test_a_binary_file_named_csv_is_refused_as_a_whole(world, planner, content):
    with pytest.raises(DomainError, match="no es texto separado por comas"):
        services.import_job_create(actor=planner, file_name="datos.csv", content=content)


def test_the_check_loads_only_the_territories_its_file_names(db):
    # After INEGI's national catalogue the portal holds 300,000 territories; a file names a few.
    MunicipalityFactory()
    TerritoryFactory(code="delegacion-norte")
    TerritoryFactory(code="MT-01", kind="municipio", inegi_code="01001")
    TerritoryFactory.create_batch(30)
    named = importing._territories_named({"11020", " 1001 ", "DELEGACION-NORTE", "x\x00", "99999"})
    assert set(named.values_list("code", flat=True)) == {"11020", "delegacion-norte", "MT-01"}
    assert importing._territories_named(None).count() == 33  # no keys known: the whole catalogue, as before


def test_a_file_naming_a_territory_by_its_portal_code_in_another_case_still_loads(world, planner):
    TerritoryFactory(code="delegacion-norte", name="Delegación Norte")
    job = services.import_file_now(
        actor=planner,
        file_name="datos.csv",
        content=b"indicador,territorio,periodo,valor\nPOB-001,DELEGACION-NORTE,2020,5\nPOB-001,11020,2020,7\n",
    )
    assert job.state == ImportJobState.DONE
    assert Observation.objects.filter(territory__code="delegacion-norte").get().value == 5
