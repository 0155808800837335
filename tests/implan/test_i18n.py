"""The English catalogue: every entry translated with the same placeholders, the committed .mo compiled from the
committed .po, no translatable string of the sources missing from it, and pages that render in English when the
visitor chose English.

A round of translation (README «Idiomas»): makemessages → translate the new entries → compilemessages → commit both
files. These tests say which step was forgotten.
"""

import ast
import datetime
import functools
import gettext
import re
import shutil
import subprocess
import sys
from decimal import Decimal
from html.parser import HTMLParser
from pathlib import Path
from zoneinfo import ZoneInfo

import polib
import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation

from councils.models import Session, VoteOption
from councils.services import sessions as session_services
from councils.services import votes as vote_services
from implan.formatting import long_date, long_datetime, mxn
from implan.models import Territory
from planning.models import Strategy
from tests.councils.builders import Council, council, session_in_progress
from tests.factories import IndicatorFactory, ObservationFactory, ProjectFactory, StrategyFactory

ROOT = Path(settings.BASE_DIR)
PO_PATH = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
MO_PATH = PO_PATH.with_suffix(".mo")
# The same folders the translators' makemessages run leaves out (README «Idiomas»).
IGNORED = [".venv", "tests", "bench", "staticfiles", "test-artifacts"]
APP_PACKAGES = ["implan", "councils", "planning", "projects", "indicators"]

# What must survive translation unchanged: named and positional format placeholders, the escaped percent sign,
# str.format fields and HTML tags (a blocktranslate may carry <strong>).
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%%|%[sdif]|\{[\w.]*\}|</?[a-zA-Z][^>]*>")


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


@functools.cache
def catalogue() -> polib.POFile:
    return polib.pofile(str(PO_PATH))


def pairs(entry: polib.POEntry) -> list[tuple[str, str]]:
    """(source, translation) pairs of an entry: one, or one per plural form."""
    if entry.msgid_plural:
        return [(entry.msgid, entry.msgstr_plural.get(0, "")), (entry.msgid_plural, entry.msgstr_plural.get(1, ""))]
    return [(entry.msgid, entry.msgstr)]


# --- (a) The catalogue itself ---------------------------------------------------------------------------------------


def test_the_english_catalogue_has_every_entry_translated_and_none_fuzzy_or_obsolete():
    po = catalogue()
    assert len(po) > 1000, "el catálogo parece truncado"
    assert po.metadata["Language"] == "en"
    assert not po.metadata_is_fuzzy
    untranslated = [e.msgid for e in po if not all(text for _, text in pairs(e))]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    obsolete = [e.msgid for e in po.obsolete_entries()]
    assert not untranslated, f"Sin traducir ({len(untranslated)}): {untranslated[:20]}"
    assert not fuzzy, f"Dudosas (fuzzy): {fuzzy[:20]}"
    assert not obsolete, f"Obsoletas: {obsolete[:20]}"


def test_every_plural_entry_has_the_two_english_forms():
    po = catalogue()
    assert po.metadata["Plural-Forms"].startswith("nplurals=2;")
    plural = [e for e in po if e.msgid_plural]
    assert plural, "ninguna entrada con plural: ¿se perdió ngettext / blocktranslate count?"
    for entry in plural:
        assert sorted(entry.msgstr_plural) == [0, 1], entry.msgid


def test_each_translation_keeps_the_placeholders_and_tags_of_its_msgid():
    mismatches = [
        (source, text)
        for entry in catalogue()
        for source, text in pairs(entry)
        if placeholders(source) != placeholders(text)
    ]
    assert not mismatches, "\n".join(f"{a!r} → {b!r}" for a, b in mismatches)


def test_the_placeholder_check_notices_a_renamed_a_dropped_or_an_unescaped_placeholder():
    assert placeholders("%(n)s de %(total)s") == placeholders("%(total)s: %(n)s")
    assert placeholders("%(n)s de %(total)s") != placeholders("%(n)s of %(all)s")
    assert placeholders("Hola, %(name)s.") != placeholders("Hello.")
    assert placeholders("%% ejercido") != placeholders("% spent")
    assert placeholders("Voto: <strong>%(v)s</strong>") != placeholders("Vote: %(v)s")


def test_the_glossary_heads_the_catalogue():
    header = catalogue().header
    for decision in (
        "Ayuntamiento",
        "City Council",
        "acuerdo",
        "resolution",
        "acta",
        "minutes",
        "vertiente",
        "strand",
        "programa de gobierno",
        "government plan",
    ):
        assert decision in header


# --- (b) The compiled file ------------------------------------------------------------------------------------------


def test_the_committed_mo_is_what_msgfmt_makes_of_the_committed_po(tmp_path):
    msgfmt = shutil.which("msgfmt")
    assert msgfmt, "Falta msgfmt: instale el paquete 'gettext' de Debian (bin/test lo hace)."
    fresh_path = tmp_path / "django.mo"
    subprocess.run([msgfmt, "--check-format", "-o", str(fresh_path), str(PO_PATH)], check=True, capture_output=True)
    with fresh_path.open("rb") as fresh_file, MO_PATH.open("rb") as committed_file:
        fresh = gettext.GNUTranslations(fresh_file)._catalog  # the parsed messages: the only way to compare them
        committed = gettext.GNUTranslations(committed_file)._catalog
    stale = sorted(str(k) for k in fresh.keys() ^ committed.keys())
    changed = sorted(str(k) for k in fresh.keys() & committed.keys() if fresh[k] != committed[k] and k != "")
    assert not stale and not changed, (
        "django.mo no corresponde a django.po: ejecute 'manage.py compilemessages -l en --ignore=.venv'. "
        f"Entradas de más o de menos: {stale[:10]}; con otro texto: {changed[:10]}"
    )


# --- (c) Pages in English -------------------------------------------------------------------------------------------


class VisibleText(HTMLParser):
    """The text a visitor reads or hears: text nodes outside <script>/<style>, and labels read aloud."""

    SPOKEN = ("aria-label", "title", "alt", "placeholder")

    def __init__(self) -> None:
        super().__init__()
        self.texts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "template"):
            self._hidden += 1
        self.texts += [" ".join(value.split()) for name, value in attrs if name in self.SPOKEN and value]

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "template"):
            self._hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self._hidden and data.strip():
            self.texts.append(" ".join(data.split()))


def visible_texts(html: str) -> list[str]:
    parser = VisibleText()
    parser.feed(html)
    return parser.texts


@functools.cache
def spanish_patterns() -> list[tuple[re.Pattern, str]]:
    """A full-text pattern for each Spanish msgid whose English differs: a page that shows one as a whole text
    node (a heading, a label, a button, a table header) forgot to translate it."""
    patterns = []
    for entry in catalogue():
        for source, text in pairs(entry):
            if source == text or len(source) < 3:
                continue
            pattern = re.escape(source.replace("%%", "%"))
            pattern = re.sub(r"%\\\(\w+\\\)[sdif]", ".+", pattern)
            patterns.append((re.compile(pattern), source))
    return patterns


def leftover_spanish(html: str, *, data: tuple[str, ...] = ()) -> list[str]:
    """Spanish interface text left in an English page; text nodes holding any of ``data`` (names and records
    people wrote, which stay as written) are not judged."""
    patterns = spanish_patterns()
    found = []
    for text in visible_texts(html):
        if any(written in text for written in data):
            continue
        for candidate in {text, text.strip(" ·|:;,.()›»«—-")}:
            found += [f"{text!r} ← {source!r}" for pattern, source in patterns if pattern.fullmatch(candidate)]
    return found


@pytest.fixture
def english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    yield client
    translation.deactivate()  # the test client leaves the last request's language active in this thread


# Names and records people wrote (the world below): they stay as written, in Spanish.
WRITTEN = (
    "Educación para la Vida",
    "Se aprueba el asunto",
    "Asunto a votar",
    "Sala de cabildo",
    "Informe de la comisión",
    "Parque lineal del río",
    "Cobertura de agua potable",
)


def build_council_world() -> tuple[Council, Session]:
    """A published plan with a strategy; a body of three with a session voted and concluded, and one upcoming.
    Records are written in Spanish whatever language an earlier test left active."""
    with translation.override(settings.LANGUAGE_CODE):
        StrategyFactory(
            name="Educación para la Vida",
            vertiente__name="Desarrollo social y económico",
            vertiente__plan__state="publicado",
            vertiente__plan__title="León hacia el Futuro",
        )
        c = council(size=3, slug="consejo-consultivo")
        session = session_in_progress(c, present=3)
        motion = vote_services.motion_open(
            actor=c.secretary, item=session.agenda_items.get(), text="Se aprueba el asunto"
        )
        for i in range(3):
            vote_services.vote_cast(actor=c.user(i), motion=motion, option=VoteOption.YES if i else VoteOption.ABSTAIN)
        vote_services.motion_close(actor=c.secretary, motion=motion)
        session_services.session_close(actor=c.secretary, session=session)
        session_services.session_convene(
            actor=c.secretary,
            body=c.body,
            place="Sala de cabildo",
            scheduled_at=timezone.now() + datetime.timedelta(days=7),
            agenda=[session_services.AgendaEntry(title="Informe de la comisión")],
        )
    return c, session


@pytest.fixture
def council_world(db) -> tuple[Council, Session]:
    return build_council_world()


def test_the_home_page_is_in_english_with_the_language_cookie(english, council_world):
    html = english.get(reverse("implan:home")).content.decode()
    assert '<html lang="en">' in html
    for text in (
        "Skip to content",
        "Main navigation",
        "How León plans its development",
        "The planning cycle",
        "City Council (Ayuntamiento)",
        "Planning Advisory Council",
        "Government plan",
        "Project portfolio",
        "Open data",
        "Recent resolutions",
        "Upcoming sessions",
        "Log in",
        "Bodies",
        "Budget",
    ):
        assert text in html, text
    assert "Educación para la Vida" in html  # data stays as written
    assert not leftover_spanish(html), leftover_spanish(html)


def test_the_council_pages_are_in_english_with_the_language_cookie(english, council_world):
    c, session = council_world
    html = english.get(reverse("councils:body_list")).content.decode()
    assert "Planning bodies" in html and "Planning Advisory Council" in html and "3 members" in html
    assert not leftover_spanish(html), leftover_spanish(html)

    html = english.get(reverse("councils:body_detail", args=[c.body.slug])).content.decode()
    for text in (
        "Members on",
        "Seats filled: 3 of 25.",
        "See the body on another date",
        "Position",
        "Sessions",
        "Recent resolutions",
        "Concluded",
        "Resolution",
    ):
        assert text in html, text
    assert not leftover_spanish(html, data=WRITTEN), leftover_spanish(html, data=WRITTEN)

    html = english.get(reverse("councils:session_detail", args=[c.body.slug, session.number])).content.decode()
    for text in (
        "Agenda and votes",
        "Approved",
        "For 2 · Against 0 · Abstentions 1",
        "How each member voted",
        "Abstention",
        "Attendance",
        "Present: 3 of 3.",
        "Minutes",
    ):
        assert text in html, text
    assert not leftover_spanish(html, data=WRITTEN), leftover_spanish(html, data=WRITTEN)


def add_project_and_indicator() -> None:
    """Beside the councils' world: a project under way and a published indicator with two observations."""
    with translation.override(settings.LANGUAGE_CODE):
        strategy = Strategy.objects.get()
        ProjectFactory(
            title="Parque lineal del río",
            slug="parque-lineal",
            strategy=strategy,
            status="en_ejecucion",
            latitude=Decimal("21.122"),
            longitude=Decimal("-101.684"),
        )
        indicator = IndicatorFactory(name="Cobertura de agua potable", slug="cobertura-agua")
        ObservationFactory(indicator=indicator, period="2020", period_start=datetime.date(2020, 1, 1))
        ObservationFactory(
            indicator=indicator,
            territory=Territory.objects.get(),
            period="2021",
            period_start=datetime.date(2021, 1, 1),
            value=Decimal("12.5"),
        )


@pytest.fixture
def section_world(council_world):
    add_project_and_indicator()
    return council_world


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("/plan/", "Strategies of the plan"),
        ("/presupuesto/", "No budgets have been published yet."),
        ("/informe/", "No reports have been published yet."),
        ("/proyectos/", "Strategic project portfolio"),
        ("/proyectos/parque-lineal/", "Progress and money"),
        ("/indicadores/", "Quality of life"),
        ("/indicadores/cobertura-agua/", "Downloads"),
        ("/evaluacion/", "No evaluations have been published yet."),
        ("/buscar/?q=agua", "Results for “agua”"),
        ("/datos/", "Last update"),
        ("/transparencia/", "Transparency obligations"),
        ("/transparencia/sesiones-del-ayuntamiento/", "Download in PNT format (XLSX)"),
    ],
)
def test_each_public_section_is_in_english_with_the_language_cookie(english, section_world, url, expected):
    response = english.get(url)
    assert response.status_code == 200
    html = response.content.decode()
    assert expected in html
    assert not leftover_spanish(html, data=WRITTEN), leftover_spanish(html, data=WRITTEN)


def test_the_login_page_is_in_english_with_the_language_cookie(english, db):
    html = english.get(reverse("login")).content.decode()
    for text in (
        "Log in",
        "Access for the technical staff, members of the planning bodies and agency liaisons.",
        "Username",
        "Password",
    ):
        assert text in html, text
    assert not leftover_spanish(html), leftover_spanish(html)


def test_the_same_pages_stay_in_spanish_without_the_cookie(client, council_world):
    html = client.get(reverse("implan:home")).content.decode()
    assert '<html lang="es">' in html and "El ciclo de la planeación" in html and "Skip to content" not in html


def test_the_leftover_check_finds_an_untranslated_label():
    """The check is not a formality: a heading or label left in Spanish is reported, data beside it is not."""
    html = (
        "<h2>Próximas sesiones</h2><p>Integrantes al 3 de enero de 2026</p>"
        '<nav aria-label="Navegación principal"></nav><p>Parque lineal del río Gómez</p>'
    )
    found = " ".join(leftover_spanish(html))
    assert "Próximas sesiones" in found and "Integrantes al %(date)s" in found and "Navegación principal" in found
    assert "Parque lineal" not in found


# --- (d) The sources against the catalogue --------------------------------------------------------------------------


MAKEMESSAGES_IN_COPY = """
import os, sys
from pathlib import Path
sys.path.insert(0, os.getcwd())
os.environ["DJANGO_SETTINGS_MODULE"] = "implan.settings"
import django
django.setup()
from django.conf import settings
# Never write into the real tree: the copy's settings must be the ones in use.
assert Path(settings.BASE_DIR).resolve() == Path.cwd().resolve(), settings.BASE_DIR
from django.core.management import call_command
call_command("makemessages", locale=["en"], ignore_patterns=sys.argv[1:], no_obsolete=True, verbosity=0)
"""


@pytest.mark.catalogue_complete
def test_every_translatable_string_of_the_sources_is_in_the_english_catalogue(tmp_path):
    """makemessages on a copy of the tree, merged into a copy of the catalogue: anything new comes out untranslated
    (or fuzzy, when gettext guesses from a similar entry)."""
    copy = tmp_path / "tree"
    shutil.copytree(
        ROOT, copy, ignore=shutil.ignore_patterns(*IGNORED, ".git", "media", "__pycache__", "*.sqlite3", "node_modules")
    )
    subprocess.run([sys.executable, "-c", MAKEMESSAGES_IN_COPY, *IGNORED], cwd=copy, check=True, capture_output=True)
    merged = polib.pofile(str(copy / PO_PATH.relative_to(ROOT)))
    missing = [e.msgid for e in merged if "fuzzy" in e.flags or not all(text for _, text in pairs(e))]
    assert not missing, (
        f"{len(missing)} textos de las fuentes no están traducidos en locale/en (haga una ronda de traducción): "
        f"{missing[:30]}"
    )
    gone = sorted({e.msgid for e in catalogue()} - {e.msgid for e in merged})
    assert not gone, f"Entradas que ya no están en las fuentes (makemessages --no-obsolete las quita): {gone[:30]}"


GETTEXT_FUNCTIONS = {
    "_",
    "gettext",
    "gettext_lazy",
    "gettext_noop",
    "ngettext",
    "ngettext_lazy",
    "pgettext",
    "pgettext_lazy",
    "npgettext",
    "npgettext_lazy",
}


def marked_strings(source: str) -> list[tuple[int, str | None, str]]:
    """(line, context, msgid) of every gettext call with literal arguments, f-strings included — xgettext does not
    look inside f-strings, so a string marked there never reaches the catalogue."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in GETTEXT_FUNCTIONS):
            continue
        args = [a.value if isinstance(a, ast.Constant) and isinstance(a.value, str) else None for a in node.args]
        with_context = node.func.id.startswith(("pgettext", "npgettext"))
        context, msgid = (args[0], args[1]) if with_context and len(args) > 1 else (None, args[0] if args else None)
        if msgid is not None:
            found.append((node.lineno, context, msgid))
    return sorted(found, key=lambda item: item[0])


@pytest.mark.catalogue_complete
def test_every_string_marked_in_python_even_inside_an_f_string_is_in_the_catalogue():
    known = {(e.msgctxt, e.msgid) for e in catalogue()}
    missing = [
        f"{path.relative_to(ROOT)}:{line} {msgid!r}"
        for package in APP_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        for line, context, msgid in marked_strings(path.read_text(encoding="utf-8"))
        if (context, msgid) not in known
    ]
    assert not missing, f"Textos marcados que no están en locale/en (¿dentro de un f-string?): {missing}"


def test_the_marked_string_finder_looks_inside_f_strings():
    source = (
        "from django.utils.translation import gettext_lazy as _, pgettext_lazy\n"
        "label = lambda p: f\"{p} · {_('sin estrategia')}\"\n"
        "start = pgettext_lazy('start date', 'Inicio')\n"
    )
    assert marked_strings(source) == [(2, None, "sin estrategia"), (3, "start date", "Inicio")]


# --- Strings translated too early -----------------------------------------------------------------------------------


def eager_translations(source: str) -> list[int]:
    """Lines where gettext() (not gettext_lazy) runs at import time — module or class level —, fixing the text in
    the default language for every visitor."""
    tree = ast.parse(source)
    eager = {
        alias.asname or alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module == "django.utils.translation"
        for alias in node.names
        if alias.name in ("gettext", "ngettext", "pgettext")
    }
    lines: list[int] = []

    def visit(node: ast.AST, in_function: bool) -> None:
        for child in ast.iter_child_nodes(node):
            if (
                not in_function
                and isinstance(child, ast.Call)
                and isinstance(child.func, ast.Name)
                and child.func.id in eager
            ):
                lines.append(child.lineno)
            visit(child, in_function or isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.Lambda))

    visit(tree, False)
    return lines


def test_no_text_is_translated_at_import_time():
    found = [
        f"{path.relative_to(ROOT)}:{line}"
        for package in APP_PACKAGES
        for path in (ROOT / package).rglob("*.py")
        if "migrations" not in path.parts
        for line in eager_translations(path.read_text(encoding="utf-8"))
    ]
    assert not found, f"Use gettext_lazy fuera de funciones: {found}"


def test_the_import_time_check_spots_a_class_attribute_translated_eagerly():
    source = (
        "from django.utils.translation import gettext as _\n"
        "class View:\n    title = _('Nuevo plan')\n    def get(self):\n        return _('Hola')\n"
    )
    assert eager_translations(source) == [3]


# --- Dates and money per language -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("language", "date", "moment", "money"),
    [
        ("es-mx", "24 de noviembre de 2026", "24 de noviembre de 2026, 17:05 h", "$1,234.50 MXN"),
        ("en", "November 24, 2026", "November 24, 2026, 17:05", "$1,234.50 MXN"),
    ],
)
def test_dates_and_money_are_written_the_way_each_language_writes_them(language, date, moment, money):
    at = datetime.datetime(2026, 11, 24, 17, 5, tzinfo=ZoneInfo("America/Mexico_City"))
    with translation.override(language):
        assert long_date(at.date()) == date
        assert long_datetime(at) == moment
        assert mxn(Decimal("1234.5")) == money
