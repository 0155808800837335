"""Each file's way of writing numbers (decimal point or decimal comma) is decided from its whole value column;
a value that two conventions read differently, with nothing in the file to decide, is refused with both readings."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from indicators import importing, services
from indicators.models import DecimalMark, Frequency, ImportJob, ImportJobState, ImportRow, Observation, RowOutcome
from tests.factories import IndicatorFactory, MunicipalityFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def world():
    MunicipalityFactory()
    IndicatorFactory(code="POB-001", frequency=Frequency.YEARLY)


def load(planner, text: str | bytes, name: str = "datos.csv") -> ImportJob:
    content = text if isinstance(text, bytes) else text.encode("utf-8")
    return services.import_file_now(actor=planner, file_name=name, content=content)


def values() -> dict[str, Decimal]:
    return dict(Observation.objects.values_list("period", "value"))


def errors_of(job: ImportJob) -> list[tuple[int, str, str]]:
    return [
        (row.line, column, message)
        for row in ImportRow.objects.filter(job=job, outcome=RowOutcome.ERROR).order_by("line")
        for column, message in row.error_list
    ]


def test_a_spanish_excel_file_reads_every_thousands_point_as_thousands(world, planner):
    # The file of the report: 179.225 was stored as 179.225 while 14.211.712 became 14211712.
    job = load(
        planner,
        "Indicador;Territorio;Periodo;Valor\nPOB-001;11020;2019;179.225\n"
        "POB-001;11020;2020;14.211.712\nPOB-001;11020;2021;7,5\n",
    )
    assert job.state == ImportJobState.DONE
    assert values() == {"2019": Decimal("179225"), "2020": Decimal("14211712"), "2021": Decimal("7.5")}
    assert job.decimal_mark == DecimalMark.COMMA
    assert job.number_evidence["coma"] == [3, "14.211.712"]


def test_a_semicolon_file_whose_values_use_a_decimal_point_is_read_with_the_point(world, planner):
    job = load(planner, "indicador;territorio;periodo;valor\nPOB-001;11020;2019;1.234\nPOB-001;11020;2020;12.25\n")
    assert job.state == ImportJobState.DONE
    assert values() == {"2019": Decimal("1.234"), "2020": Decimal("12.25")}
    assert job.decimal_mark == DecimalMark.POINT


def test_a_semicolon_file_where_no_value_decides_follows_spanish_excel(world, planner):
    job = load(planner, "indicador;territorio;periodo;valor\nPOB-001;11020;2019;1.234\nPOB-001;11020;2020;12\n")
    assert job.state == ImportJobState.DONE
    assert values() == {"2019": Decimal("1234"), "2020": Decimal("12")}
    assert (job.decimal_mark, job.number_evidence) == (DecimalMark.COMMA, {"delimitador": ";"})


def test_a_value_no_convention_decides_is_refused_with_row_column_and_both_readings(world, planner):
    job = load(
        planner,
        "indicador,territorio,periodo,valor\nPOB-001,11020,2019,12\nPOB-001,11020,2020,1.234\n"
        'POB-001,11020,2021,"179,225"\n',
    )
    assert job.state == ImportJobState.REFUSED
    assert Observation.objects.count() == 0
    assert job.decimal_mark == ""
    (line3, column3, message3), (line4, column4, message4) = errors_of(job)
    assert (line3, column3, line4, column4) == (3, "valor", 4, "valor")
    assert "«1.234» se puede leer como 1234 (el punto separa miles) o como 1.234 (el punto es decimal)" in message3
    assert "«179,225» se puede leer como 179225 (la coma separa miles) o como 179.225 (la coma es decimal)" in message4


def test_a_column_that_mixes_conventions_reads_only_what_reads_one_way(world, planner):
    job = load(
        planner,
        'indicador,territorio,periodo,valor\nPOB-001,11020,2019,"7,5"\nPOB-001,11020,2020,12.25\n'
        "POB-001,11020,2021,1.500\n",
    )
    assert job.state == ImportJobState.REFUSED
    assert job.number_evidence == {"coma": [2, "7,5"], "punto": [3, "12.25"]}
    ((line, column, message),) = errors_of(job)
    assert (line, column) == (4, "valor") and "se puede leer como 1500" in message


def test_an_excel_number_needs_no_convention_but_a_number_typed_as_text_does(world, planner):
    IndicatorFactory(code="EMP-002", frequency=Frequency.YEARLY)
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Indicador", "Territorio", "Periodo", "Valor"])
    sheet.append(["POB-001", 11020, 2019, 1234.5])  # numbers: they mean what they are, and decide nothing
    sheet.append(["POB-001", 11020, 2020, 0.00001])
    sheet.append(["EMP-002", 11020, 2019, "1.234"])  # text: ambiguous
    buffer = io.BytesIO()
    workbook.save(buffer)
    job = load(planner, buffer.getvalue(), name="datos.xlsx")
    ((line, column, message),) = errors_of(job)
    assert (line, column) == (4, "valor") and "«1.234» se puede leer como 1234" in message
    valid = dict(ImportRow.objects.filter(job=job).exclude(outcome=RowOutcome.ERROR).values_list("period", "value"))
    assert valid == {"2019": Decimal("1234.5"), "2020": Decimal("0.00001")}


def test_the_preview_shows_the_text_of_the_file_beside_the_number_it_was_read_as(client, world, planner):
    job = services.import_job_create(
        actor=planner,
        file_name="datos.csv",
        content=b"indicador;territorio;periodo;valor\nPOB-001;11020;2019;179.225\nPOB-001;11020;2020;14.211.712\n",
    )
    from indicators import jobs

    jobs.run_job(job.pk)
    client.force_login(planner)
    html = client.get(reverse("indicators:import_detail", args=[job.pk])).content.decode()
    assert '<td class="number">179.225</td><td class="number">179,225</td>' in html
    assert '<td class="number">14.211.712</td><td class="number">14,211,712</td>' in html
    assert "coma decimal" in html and "«14.211.712» (fila 3)" in html


@pytest.mark.parametrize(
    ("raw", "readings"),
    [
        ("7", {"punto": "7", "coma": "7"}),
        ("7.0", {"punto": "7.0"}),
        ("1,234.5", {"punto": "1234.5"}),
        ("1.234,5", {"coma": "1234.5"}),
        ("7,5", {"coma": "7.5"}),
        ("1 234", {"punto": "1234", "coma": "1234"}),
        ("-3.25", {"punto": "-3.25"}),
        ("95.1%", {"punto": "95.1"}),
        ("1.721.215", {"coma": "1721215"}),
        ("1,234", {"punto": "1234", "coma": "1.234"}),
        ("1.234", {"punto": "1.234", "coma": "1234"}),
        ("0.500", {"punto": "0.500"}),
        ("1234.567", {"punto": "1234.567"}),
        ("$ 1,234,567", {"punto": "1234567"}),
        (".5", {"punto": ".5"}),
        ("1.2.3", {}),
        ("1,23.4", {}),
        ("mucho", {}),
        ("", {}),
        ("1e5", {}),
        # A space only groups thousands, in groups of three (also the no-break and narrow no-break spaces).
        ("1 5", {}),
        ("12 34,5", {}),
        ("1 2345", {}),
        ("0 123", {}),
        ("1 234 567,5", {"coma": "1234567.5"}),
        ("1\u00a0234\u00a0567.5", {"punto": "1234567.5"}),
        ("1\u202f234", {"punto": "1234", "coma": "1234"}),
        ("-12 345", {"punto": "-12345", "coma": "-12345"}),
        ("1 234.567,5", {}),
        ("1 234,5 6", {}),
        ("1 234,", {}),
        # A currency sign before the number (after its sign), a percent sign after it; nowhere else, and not both.
        ("$1,234.5", {"punto": "1234.5"}),
        ("-$1,234.5", {"punto": "-1234.5"}),
        ("$-5", {"punto": "-5", "coma": "-5"}),
        ("$ 1 234", {"punto": "1234", "coma": "1234"}),
        ("95,1 %", {"coma": "95.1"}),
        ("1$5", {}),
        ("5$", {}),
        ("%5", {}),
        ("5%%", {}),
        ("$5%", {}),
        ("$ $5", {}),
        ("1 %5", {}),
    ],
)
def test_numbers_as_people_write_them_and_what_each_convention_reads(raw, readings):
    assert importing.number_readings(raw) == {mark: Decimal(text) for mark, text in readings.items()}


def test_a_space_inside_a_number_that_groups_no_thousands_is_refused_not_dropped(world, planner):
    # «1 5» was stored as 15 and «12 34,5» as 1234.5, in a file that then read «aplicada» with no warning.
    job = load(
        planner,
        "indicador;territorio;periodo;valor\nPOB-001;11020;2019;1 5\nPOB-001;11020;2020;12 34,5\n"
        "POB-001;11020;2021;1 234 567,5\n",
    )
    assert job.state == ImportJobState.REFUSED and Observation.objects.count() == 0
    hint = "no es un número: un espacio solo puede separar los miles, en grupos de tres cifras (1 234 567)."
    assert errors_of(job) == [(2, "valor", f"«1 5» {hint}"), (3, "valor", f"«12 34,5» {hint}")]


def test_spaces_that_group_thousands_are_read_under_the_files_convention(world, planner):
    job = load(
        planner,
        "indicador;territorio;periodo;valor\nPOB-001;11020;2019;1 234 567,5\n"
        "POB-001;11020;2020;179.225\nPOB-001;11020;2021;$ 1\u00a0500\nPOB-001;11020;2022;95,1 %\n",
    )
    assert job.state == ImportJobState.DONE
    assert values() == {
        "2019": Decimal("1234567.5"),
        "2020": Decimal("179225"),
        "2021": Decimal("1500"),
        "2022": Decimal("95.1"),
    }


def test_a_value_grouped_by_spaces_decides_the_column_as_any_other_value_does(world, planner):
    # «1 234,5» reads only with a decimal comma: evidence that «1.234» groups thousands, even in a «,» file.
    job = load(
        planner,
        'indicador,territorio,periodo,valor\nPOB-001,11020,2019,"1 234,5"\nPOB-001,11020,2020,1.234\n'
        "POB-001,11020,2021,1 500\n",
    )
    assert job.state == ImportJobState.DONE
    assert (job.decimal_mark, job.number_evidence) == (DecimalMark.COMMA, {"coma": [2, "1 234,5"]})
    assert values() == {"2019": Decimal("1234.5"), "2020": Decimal("1234"), "2021": Decimal("1500")}


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet="0123456789.,-+$% \u00a0", max_size=14))
def test_the_quick_test_of_the_first_pass_never_skips_a_cell_only_one_convention_reads(raw):
    # The first pass over a big file skips, once one convention has shown, every cell this test says cannot show
    # the other: a cell it skipped wrongly would let a file that mixes conventions be read one way only.
    readings = importing.number_readings(raw)
    for mark in (DecimalMark.POINT, DecimalMark.COMMA):
        if set(readings) == {mark}:
            assert importing._could_show(raw, mark), (raw, mark)


@pytest.mark.parametrize(
    ("cells", "mark"),
    [
        (["12,5", "7", "1,234", "1,234,567"], ""),  # the last reads only with the point: no convention decides
        (["1.5", "2", "3.25", "14.211.712"], ""),  # the last reads only with the comma
        (["12,5", "7", "1,234", "8,75"], DecimalMark.COMMA),
        (["1.5", "1,234", "2.5"], DecimalMark.POINT),
    ],
)
def test_the_first_pass_still_finds_the_other_convention_far_down_the_column(cells, mark):
    rows = iter([["valor"], *([c] for c in cells)])
    assert importing.decide_number_format(rows, 0).mark == mark


@settings(max_examples=3000, deadline=None)
@given(st.text(alphabet="0123456789.,-+ \u00a0٣", max_size=12), st.sampled_from([DecimalMark.POINT, DecimalMark.COMMA]))
def test_the_quick_reading_of_a_plain_cell_agrees_with_the_full_one(raw, mark):
    # A big file's values are read by a quick path when they are plain digits; it must never read a cell otherwise
    # than the full reading does (nor read one the full reading refuses).
    quick = importing.plain_number(raw, mark)
    if quick is not None:
        full = importing.read_as(importing.bare_number(raw), mark)
        assert full is not None and quick == full and str(quick) == str(full), (raw, mark)
