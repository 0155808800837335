"""Loading observations from real-shaped files; every refusal saves nothing and names row and column."""

import io
import zipfile
from decimal import Decimal

import pytest
from openpyxl import Workbook

from indicators import importing
from indicators.models import Frequency, Observation
from tests.factories import IndicatorFactory, MunicipalityFactory, TerritoryFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    leon = MunicipalityFactory()
    delegacion = TerritoryFactory(code="del-norte", name="Delegación Norte")
    IndicatorFactory(code="POB-001", frequency=Frequency.YEARLY)
    IndicatorFactory(code="EMP-002", frequency=Frequency.QUARTERLY)
    return leon, delegacion


def _csv(text: str, encoding: str = "utf-8") -> bytes:
    return text.encode(encoding)


def test_utf8_with_bom_semicolons_decimal_commas_and_blank_trailing_rows(world, planner):
    content = "\ufeffIndicador;Territorio;Período;Valor;Nota\nPOB-001;11020;2020;1.721.215,0;Censo\n" \
              "EMP-002;del-norte;2024-T3;7,5;\n;;;;\n;;;;\n"
    result, counts = importing.import_file(_csv(content), "datos.csv", actor=planner)
    assert counts == {"new": 2, "changed": 0, "unchanged": 0}
    values = dict(Observation.objects.values_list("indicator__code", "value"))
    assert values == {"POB-001": Decimal("1721215"), "EMP-002": Decimal("7.5")}


def test_windows_1252_commas_thousands_and_counts_written_as_7_0(world, planner):
    content = 'indicador,territorio,periodo,valor,nota\nPOB-001,11020,2021,"1,734,000",Estimación de población\n' \
              "POB-001,11020,2022,7.0,Año base\n"
    importing.import_file(_csv(content, "cp1252"), "datos.csv", actor=planner)
    assert Observation.objects.get(period="2021").value == Decimal("1734000")
    assert Observation.objects.get(period="2022").note == "Año base"
    assert Observation.objects.get(period="2022").value == Decimal("7")


def test_xlsx_with_years_typed_as_numbers(world, planner):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicador", "Territorio", "Periodo", "Valor"])
    sheet.append(["POB-001", "11020", 2019, 12.25])
    sheet.append([None, None, None, None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    _, counts = importing.import_file(buffer.getvalue(), "datos.xlsx", actor=planner)
    assert counts["new"] == 1
    assert Observation.objects.get().value == Decimal("12.25")


def test_reimporting_the_same_file_changes_nothing_and_a_correction_updates_only_what_changed(world, planner):
    content = "indicador,territorio,periodo,valor\nPOB-001,11020,2020,10\nPOB-001,11020,2021,11\n"
    importing.import_file(_csv(content), "a.csv", actor=planner)
    history_rows = Observation.history.count()
    _, counts = importing.import_file(_csv(content), "a.csv", actor=planner)
    assert counts == {"new": 0, "changed": 0, "unchanged": 2}
    assert Observation.history.count() == history_rows
    corrected = content.replace("2021,11", "2021,12")
    _, counts = importing.import_file(_csv(corrected), "a-corregido.csv", actor=planner)
    assert counts == {"new": 0, "changed": 1, "unchanged": 1}
    assert Observation.objects.get(period="2021").value == Decimal("12")


def test_every_imported_value_has_history_with_the_user_and_the_file(world):
    user = UserFactory(username="carga")
    importing.import_file(_csv("indicador,territorio,periodo,valor\nPOB-001,11020,2020,10\n"), "censo.csv",
                          actor=user)
    record = Observation.history.get()
    assert record.history_user == user
    assert record.history_change_reason == "Importado del archivo censo.csv"


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("NOEXISTE,11020,2020,1", "indicador", "No existe un indicador con la clave «NOEXISTE»"),
        ("POB-001,99999,2020,1", "territorio", "No existe un territorio con la clave «99999»"),
        ("POB-001,11020,2020,mucho", "valor", "«mucho» no es un número"),
        ("POB-001,11020,2020-T1,1", "periodo", "no es un periodo anual válido"),
        ("EMP-002,11020,2020,1", "periodo", "no es un periodo trimestral válido"),
    ],
)
def test_a_bad_row_refuses_the_whole_file_naming_row_and_column(world, planner, row, column, message):
    content = f"indicador,territorio,periodo,valor\nPOB-001,11020,2018,1\n{row}\n"
    result, counts = importing.import_file(_csv(content), "x.csv", actor=planner)
    assert counts is None
    assert Observation.objects.count() == 0
    errors = list(importing.iter_errors(result))
    assert len(errors) == 1
    assert errors[0].startswith(f"Fila 3, columna «{column}»")
    assert message in errors[0]


def test_duplicate_keys_inside_the_file_are_refused(world, planner):
    content = "indicador,territorio,periodo,valor\nPOB-001,11020,2020,1\nPOB-001,11020,2020,2\n"
    result, counts = importing.import_file(_csv(content), "x.csv", actor=planner)
    assert counts is None and Observation.objects.count() == 0
    assert "Repite el indicador, territorio y periodo de la fila 2" in next(importing.iter_errors(result))


def test_applying_an_invalid_preview_is_refused(world, planner):
    result = importing.preview(_csv("indicador,territorio,periodo,valor\nPOB-001,11020,x,1\n"), "x.csv")
    with pytest.raises(importing.ImportRefused):
        importing.apply(result, actor=planner)


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"PK\x03\x04 not really", "datos.csv", "no es texto separado por comas"),
        (b"indicador,territorio\n", "datos.xlsx", "no es una hoja de Excel"),
        (b"%PDF-1.4", "datos.pdf", "Solo se aceptan archivos CSV o XLSX"),
        (b"indicador,territorio,periodo\nPOB-001,11020,2020\n", "datos.csv", "Faltan columnas: valor"),
        (b"", "datos.csv", "vacío"),
    ],
)
def test_files_that_are_not_what_they_say_are_refused(world, content, name, message):
    with pytest.raises(importing.ImportRefused, match=message):
        importing.preview(content, name)


def test_a_file_over_the_size_limit_is_refused(world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_UPLOAD_BYTES", 100)
    with pytest.raises(importing.ImportRefused, match="el máximo es"):
        importing.preview(b"indicador,territorio,periodo,valor\n" + b"POB-001,11020,2020,1\n" * 10, "x.csv")


def test_an_xlsx_zip_bomb_is_refused_before_it_is_opened(world, monkeypatch):
    monkeypatch.setattr(importing, "MAX_XLSX_UNCOMPRESSED_BYTES", 1024 * 1024)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (5 * 1024 * 1024))
    assert len(buffer.getvalue()) < 50_000
    with pytest.raises(importing.ImportRefused, match="descomprime"):
        importing.preview(buffer.getvalue(), "bomba.xlsx")


@pytest.mark.parametrize(
    ("raw", "decimal_comma", "expected"),
    [("7.0", False, "7.0"), ("1,234.5", False, "1234.5"), ("1.234,5", True, "1234.5"), ("7,5", True, "7.5"),
     ("1,234", False, "1234"), ("1 234", True, "1234"), ("-3.25", False, "-3.25")],
)
def test_numbers_as_people_write_them(raw, decimal_comma, expected):
    assert importing.parse_number(raw, decimal_comma=decimal_comma) == Decimal(expected)
