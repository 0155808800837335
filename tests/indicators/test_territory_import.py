"""Planners load INEGI's territory catalogues as INEGI publishes them: names, encodings, keys Excel shortened."""

import csv
import io
import zipfile
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.exceptions import PermissionDenied

from implan.errors import DomainError
from implan.models import Territory, TerritoryImport, TerritoryImportState, TerritoryKind
from indicators.territories import jobs, services
from tests.factories import MunicipalityFactory, TerritoryFactory

pytestmark = pytest.mark.django_db

DATA = Path(__file__).resolve().parents[2] / "implan" / "portal" / "demo" / "data"
MUNICIPIOS = DATA / "inegi_municipios_2020.csv"
LOCALIDADES = DATA / "leon_localidades_1000plus_2020.csv"


def _load(actor, name: str, content: bytes, *, confirm: bool = True) -> TerritoryImport:
    job = services.territory_import_create(actor=actor, file_name=name, content=content, background=False)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    if confirm and job.state == TerritoryImportState.READY:
        services.territory_import_confirm(actor=actor, job=job, background=False)
        jobs.run_job(job.pk)
        job.refresh_from_db()
    return job


def _guanajuato_rows() -> list[dict[str, str]]:
    with open(MUNICIPIOS, encoding="utf-8") as handle:
        return [row for row in csv.DictReader(handle) if row["cve_entidad"] == "11"]


def _inegi_csv(rows: list[dict[str, str]], *, encoding: str = "utf-8", upper: bool = True, drop_zeros: bool = False):
    """Guanajuato's municipalities written as INEGI's AGEEML names them (or in lower case), as Excel re-saves
    them when asked: cp1252, keys turned into numbers (leading zeros gone)."""
    header = ["CVE_ENT", "NOM_ENT", "CVE_MUN", "NOM_MUN", "POB_TOTAL"]
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(header if upper else [h.lower() for h in header])
    for row in rows:
        ent, mun = row["cve_entidad"], row["cve_municipio"]
        if drop_zeros:
            ent, mun = str(int(ent)), str(int(mun))
        writer.writerow([ent, row["nom_entidad"], mun, row["nom_municipio"], row["poblacion_total"]])
    return out.getvalue().encode(encoding)


def test_a_planner_loads_guanajuato_municipalities_from_an_excel_cp1252_file_without_leading_zeros(planner):
    content = _inegi_csv(_guanajuato_rows(), encoding="cp1252", drop_zeros=True)
    assert b"Le\xf3n" in content  # really Windows-1252
    job = _load(planner, "municipios_gto.csv", content)
    assert job.state == TerritoryImportState.DONE, job.preview
    leon = Territory.objects.get(inegi_code="11020")
    assert (leon.name, leon.kind, leon.cve_ent, leon.cve_mun, leon.cve_loc) == ("León", "municipio", "11", "020", "")
    assert (leon.population, leon.population_year, leon.population_source) == (
        1721215,
        2020,
        "INEGI, Censo de Población y Vivienda 2020",
    )
    guanajuato = leon.parent
    assert (guanajuato.name, guanajuato.kind, guanajuato.code) == ("Guanajuato", "entidad", "11")
    assert (guanajuato.parent.kind, guanajuato.parent.code) == (TerritoryKind.PAIS, "00")
    assert Territory.objects.filter(kind="municipio", parent=guanajuato).count() == 46
    assert leon.history.get().history_change_reason == "Catálogo de territorios municipios_gto.csv"
    assert leon.history.get().history_user == planner


def test_lower_case_headers_and_a_bom_read_the_same(planner):
    content = b"\xef\xbb\xbf" + _inegi_csv(_guanajuato_rows()[:3], upper=False)
    job = _load(planner, "municipios.csv", content)
    assert job.state == TerritoryImportState.DONE
    assert Territory.objects.filter(kind="municipio").count() == 3


def test_the_real_locality_file_attaches_each_locality_to_an_existing_municipality(planner):
    leon = MunicipalityFactory()  # the portal already has León, under the code it always had
    job = _load(planner, LOCALIDADES.name, LOCALIDADES.read_bytes())
    assert job.state == TerritoryImportState.DONE, job.preview
    cabecera = Territory.objects.get(inegi_code="110200001")
    assert cabecera.kind == TerritoryKind.LOCALIDAD and cabecera.parent == leon
    assert (cabecera.cve_ent, cabecera.cve_mun, cabecera.cve_loc) == ("11", "020", "0001")
    assert cabecera.area_type == "urbana" and cabecera.latitude == Decimal("21.121971")
    assert Territory.objects.filter(kind="localidad").count() == 44
    leon.refresh_from_db()
    assert leon.name == "León"  # a parent is matched by its key, not renamed from the file's unaccented name


def test_loading_the_same_file_twice_changes_nothing(planner):
    content = _inegi_csv(_guanajuato_rows())
    _load(planner, "a.csv", content)
    again = _load(planner, "b.csv", content)
    assert again.state == TerritoryImportState.UNCHANGED
    assert again.counts == {"nueva": 0, "cambia": 0, "igual": 46, "error": 0}


def test_a_catalogue_without_coordinates_keeps_the_stored_points(planner):
    """INEGI's municipal catalogue has no LAT/LON columns: loading it over León must not erase León's point."""
    leon = MunicipalityFactory(latitude=Decimal("21.122000"), longitude=Decimal("-101.684000"))
    job = _load(planner, "municipios.csv", _inegi_csv(_guanajuato_rows()))
    assert job.state == TerritoryImportState.DONE, job.errors
    leon.refresh_from_db()
    assert (leon.latitude, leon.longitude) == (Decimal("21.122000"), Decimal("-101.684000"))
    assert Territory.objects.filter(inegi_code="11001", latitude__isnull=True).exists()  # new ones have none


def test_a_changed_population_is_one_change_with_its_history(planner):
    rows = _guanajuato_rows()
    _load(planner, "a.csv", _inegi_csv(rows))
    rows[0] = {**rows[0], "poblacion_total": "92041"}
    job = _load(planner, "b.csv", _inegi_csv(rows), confirm=False)
    assert job.counts["cambia"] == 1 and job.counts["igual"] == 45
    services.territory_import_confirm(actor=planner, job=job, background=False)
    jobs.run_job(job.pk)
    abasolo = Territory.objects.get(inegi_code="11001")
    assert abasolo.population == 92041
    assert [h.history_type for h in abasolo.history.order_by("history_date")] == ["+", "~"]


def test_errors_are_reported_by_row_in_spanish_and_nothing_is_saved(planner):
    content = (
        "CVE_ENT,NOM_ENT,CVE_MUN,NOM_MUN,LAT_DECIMAL,LON_DECIMAL,POB_TOTAL\n"
        "11,Guanajuato,20,León,21.12,-101.68,1721215\n"
        "11,Guanajuato,ABC,Silao,,,\n"
        "11,Guanajuato,20,León otra vez,,,\n"
        "11,Guanajuato,37,,,,\n"
        "11,Guanajuajo,7,Celaya,95,-100.8,mucha\n"
    ).encode()
    job = _load(planner, "errores.csv", content)
    assert job.state == TerritoryImportState.REFUSED
    messages = {(e["line"], e["column"]): e["message"] for e in job.preview["errors"]}
    assert "«ABC» no es una clave válida" in messages[(3, "CVE_MUN")]
    assert messages[(4, "")] == "La clave 11020 ya venía en la fila 2."
    assert messages[(5, "NOM_MUN")] == "Falta el nombre."
    assert "no es una coordenada" in messages[(6, "LAT_DECIMAL")]
    assert messages[(6, "POB_TOTAL")] == "«mucha» no es un número de habitantes."
    assert job.counts["error"] == 4
    assert not Territory.objects.exists()
    with pytest.raises(DomainError):
        services.territory_import_confirm(actor=planner, job=job, background=False)


def test_a_parent_named_two_ways_in_one_file_is_an_error_with_both_names(planner):
    content = "cve_ent,nom_ent,cve_mun,nom_mun\n11,Guanajuato,020,León\n11,Jalisco,037,Silao\n".encode()
    job = _load(planner, "x.csv", content)
    (error,) = job.preview["errors"]
    assert error["message"] == "La clave 11 se llama «Jalisco» aquí y «Guanajuato» en la fila 2."


def test_a_population_too_large_to_store_is_an_error_of_its_row_not_a_failed_save(planner):
    rows = _guanajuato_rows()
    rows[0] = {**rows[0], "poblacion_total": "9999999999"}
    job = _load(planner, "m.csv", _inegi_csv(rows), confirm=False)
    assert job.state == TerritoryImportState.REFUSED
    assert job.counts["error"] == 1 and not Territory.objects.filter(inegi_code="11001").exists()


def test_a_key_that_is_only_a_portal_code_is_refused_not_skipped(planner):
    """A municipality recorded by hand with the key as its code but no INEGI key: the save matches INEGI keys, so the
    row would have been previewed as a change and then silently skipped (and its children detached)."""
    TerritoryFactory(name="Abasolo (a mano)", code="11001", inegi_code="", kind=TerritoryKind.MUNICIPIO)
    job = _load(planner, "m.csv", _inegi_csv(_guanajuato_rows()), confirm=False)
    assert job.state == TerritoryImportState.REFUSED
    assert any("Abasolo (a mano)" in e["message"] for e in job.preview["errors"]), job.preview
    assert not Territory.objects.filter(inegi_code="11003").exists()  # nothing of the file was saved


def test_a_key_already_used_by_another_level_is_refused(planner):
    TerritoryFactory(code="11020", inegi_code="11020", kind=TerritoryKind.DELEGACION, name="Zona")
    job = _load(planner, "x.csv", "CVE_ENT,NOM_ENT,CVE_MUN,NOM_MUN\n11,Guanajuato,20,León\n".encode())
    assert job.state == TerritoryImportState.REFUSED
    assert "ya es de un territorio de tipo «Delegación o zona»" in job.preview["errors"][0]["message"]


def test_a_file_without_inegi_keys_is_refused_as_a_whole(planner):
    job = _load(planner, "x.csv", "nombre,poblacion\nLeón,1\n".encode())
    assert job.state == TerritoryImportState.REFUSED
    assert "CVE_ENT" in job.message


def test_inegi_zip_with_accented_upper_case_headers_and_dms_coordinates(planner):
    text = (
        "CVEGEO,CVE_ENT,NOM_ENT,CVE_MUN,NOM_MUN,CVE_LOC,NOM_LOC,ÁMBITO,LATITUD,LONGITUD,POB_TOTAL\n"
        '110200001,11,Guanajuato,020,León,0001,León de los Aldama,U,"21°07\'19.098"" N","101°40\'59.516"" W",'
        "1579803\n"
        "110200261,11,Guanajuato,020,León,0261,Albarradones,R,21.040027,-101.504062,*\n"
    )
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zipped:
        zipped.writestr("conjunto_de_datos/AGEEML_2020.csv", text.encode("cp1252"))
    job = _load(planner, "AGEEML_2020.zip", archive.getvalue())
    assert job.file_name == "AGEEML_2020.zip"
    assert job.state == TerritoryImportState.DONE, job.preview
    cabecera = Territory.objects.get(code="110200001")
    assert cabecera.latitude == Decimal("21.121972") and cabecera.longitude == Decimal("-101.683199")
    albarradones = Territory.objects.get(code="110200261")
    assert albarradones.population is None and albarradones.area_type == "rural"  # «*»: withheld, not zero
    assert Territory.objects.get(code="11020").parent.code == "11"


def test_only_planners_load_territories(outsider):
    with pytest.raises(PermissionDenied):
        services.territory_import_create(actor=outsider, file_name="x.csv", content=b"CVE_ENT\n", background=False)


def test_the_administration_may_confirm_a_planners_file(planner, administrator):
    job = _load(planner, "x.csv", _inegi_csv(_guanajuato_rows()[:1]), confirm=False)
    services.territory_import_confirm(actor=administrator, job=job, background=False)
    assert TerritoryImport.objects.get(pk=job.pk).state == TerritoryImportState.CONFIRMED


def _staged(job) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {jobs.STAGE_TABLE} WHERE job_id = %s", [job.pk])
        return cursor.fetchone()[0]


def test_the_check_stages_the_rows_and_saving_or_discarding_forgets_them(planner):
    content = _inegi_csv(_guanajuato_rows()[:3])
    kept = _load(planner, "a.csv", content, confirm=False)
    assert _staged(kept) == 3 + 2  # the three municipalities, Guanajuato and Mexico
    services.territory_import_discard(actor=planner, job=kept)
    assert _staged(kept) == 0 and not Territory.objects.exists()
    saved = _load(planner, "b.csv", content)
    assert saved.state == TerritoryImportState.DONE and _staged(saved) == 0
    refused = _load(planner, "c.csv", content + b"11,Guanajuato,XYZ,Nada,1\r\n")
    assert refused.state == TerritoryImportState.REFUSED and _staged(refused) == 0


def test_a_check_whose_worker_died_is_marked_interrupted_and_can_be_discarded(planner):
    import datetime

    from django.utils import timezone

    job = services.territory_import_create(actor=planner, file_name="x.csv", content=b"CVE_ENT\n", background=False)
    stale = timezone.now() - datetime.timedelta(minutes=6)
    TerritoryImport.objects.filter(pk=job.pk).update(state=TerritoryImportState.CHECKING, heartbeat_at=stale)
    job.refresh_from_db()
    assert jobs.interrupt_if_stalled(job)
    assert TerritoryImport.objects.get(pk=job.pk).state == TerritoryImportState.FAILED
    services.territory_import_discard(actor=planner, job=job)
    assert TerritoryImport.objects.get(pk=job.pk).state == TerritoryImportState.DISCARDED


def test_a_save_whose_staged_rows_were_lost_saves_nothing_and_says_so(planner):
    """The staging table is UNLOGGED: PostgreSQL empties it after a crash. The save must not report a load it did not
    make."""
    from django.db import connection

    job = _load(planner, "m.csv", _inegi_csv(_guanajuato_rows()), confirm=False)
    assert job.state == TerritoryImportState.READY and _staged(job) > 0
    with connection.cursor() as cursor:  # what a crash of PostgreSQL leaves of an unlogged table
        cursor.execute(f"DELETE FROM {jobs.STAGE_TABLE} WHERE job_id = %s", [job.pk])
    services.territory_import_confirm(actor=planner, job=job, background=False)
    jobs.run_job(job.pk)
    job.refresh_from_db()
    assert job.state == TerritoryImportState.FAILED
    assert "no se guardó nada" in job.message
    assert not Territory.objects.filter(inegi_code="11001").exists()
