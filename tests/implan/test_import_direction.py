"""Imports point down only (docs/architecture.md):

    implan.portal → consultations → projects → planning → councils → implan (the core)
                                                    └──────→ indicators ─────────→ implan

The core (``implan/`` outside ``implan/portal/``) imports no app; ``councils`` and ``indicators`` import only the core;
``planning`` may import ``councils`` and ``indicators``; ``projects`` may import those three; ``consultations`` those
four (it consults planning's instruments; planning learns of its gate through ``planning.submission``); only the
site layer ``implan.portal`` imports everything, and nothing imports it but ``implan/settings.py`` and
``implan/urls.py``, which compose the project as in any Django project. Imports inside functions count too (a lazy
import is still a dependency), as do relative imports and ``importlib.import_module`` with a literal name.

A new import against the direction fails here; the fix is to move the code to the layer where it belongs (a read of
projects for a plan's page lives in ``projects``; a page that composes every app lives in ``implan.portal``).
"""

from __future__ import annotations

import ast
import functools
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# What each layer may import besides itself (the standard library and third-party packages are not layers).
MAY_IMPORT: dict[str, frozenset[str]] = {
    "implan": frozenset(),
    "councils": frozenset({"implan"}),
    "indicators": frozenset({"implan"}),
    "planning": frozenset({"implan", "councils", "indicators"}),
    "projects": frozenset({"implan", "councils", "indicators", "planning"}),
    "consultations": frozenset({"implan", "councils", "indicators", "planning", "projects"}),
    "implan.portal": frozenset({"implan", "councils", "indicators", "planning", "projects", "consultations"}),
}
APPS = ["implan", "councils", "indicators", "planning", "projects", "consultations"]
# The project's composition root: they name every app by design.
COMPOSERS = {"implan/settings.py", "implan/urls.py"}


def layer_of(module: str) -> str | None:
    """The layer a dotted module name belongs to; None for the standard library and third-party packages."""
    parts = module.split(".")
    if parts[0] == "implan" and parts[1:2] == ["portal"]:
        return "implan.portal"
    return parts[0] if parts[0] in MAY_IMPORT else None


def _module_name(path: Path, root: Path) -> list[str]:
    parts = list(path.relative_to(root).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def imported_modules(path: Path, root: Path) -> Iterator[tuple[int, str]]:
    """(line, dotted name) of everything a file imports, at any depth, relative imports resolved."""
    tree = ast.parse(path.read_text(), filename=str(path))
    package = _module_name(path, root)[: None if path.name == "__init__.py" else -1]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from ((node.lineno, alias.name) for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            base = node.module.split(".") if node.module else []
            if node.level:
                base = package[: len(package) - node.level + 1] + base
            # ``from implan import portal`` imports a module the bare ``implan`` would hide: name each alias.
            yield from ((node.lineno, ".".join([*base, alias.name])) for alias in node.names)
        elif isinstance(node, ast.Call) and _is_import_module(node):
            yield node.lineno, node.args[0].value


def _is_import_module(call: ast.Call) -> bool:
    name = call.func.attr if isinstance(call.func, ast.Attribute) else getattr(call.func, "id", "")
    return (
        name in {"import_module", "__import__"}
        and bool(call.args)
        and isinstance(call.args[0], ast.Constant)
        and isinstance(call.args[0].value, str)
    )


def upward_imports(root: Path = ROOT, apps: list[str] = APPS) -> list[str]:
    """Every import against the direction, as ``path:line: layer imports module``."""
    found = []
    for app in apps:
        for path in sorted((root / app).rglob("*.py")):
            relative = path.relative_to(root).as_posix()
            if relative in COMPOSERS:
                continue
            importer = layer_of(".".join(_module_name(path, root)))
            for line, module in imported_modules(path, root):
                target = layer_of(module)
                if target not in (None, importer) and target not in MAY_IMPORT[importer]:
                    found.append(f"{relative}:{line}: {importer} imports {module}")
    return found


@functools.cache
def upward_imports_of_the_project() -> tuple[str, ...]:
    """The project's tree is scanned once per process (about 1.3 s of parsing) for the seven tests that read it."""
    return tuple(upward_imports())


def test_the_core_of_implan_imports_no_app():
    assert [v for v in upward_imports_of_the_project() if ": implan imports " in v] == []


@pytest.mark.parametrize("layer", ["councils", "indicators", "planning", "projects", "consultations", "implan.portal"])
def test_each_app_imports_only_the_layers_below_it(layer):
    assert [v for v in upward_imports_of_the_project() if f": {layer} imports " in v] == []


def test_the_scan_sees_lazy_relative_and_dynamic_imports_and_spares_the_composers(tmp_path):
    files = {
        "implan/settings.py": "import projects.models\n",
        "implan/urls.py": "from implan.portal import views\n",
        "implan/history.py": "def label():\n    from planning.models import Plan\n",
        "implan/cache.py": "from implan import portal\n",
        "implan/text.py": "from .portal.search import KINDS\n",
        "implan/portal/views.py": "from projects.models import Project\nfrom .. import models\n",
        "councils/services.py": "import importlib\nimportlib.import_module('planning.services')\n",
        "indicators/selectors.py": "from councils.models import Body\n",
        "planning/views/__init__.py": "from . import plan\nfrom indicators import status\n",
        "projects/forms.py": "from implan.portal.search import hit\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    assert upward_imports(tmp_path, ["implan", "councils", "indicators", "planning", "projects"]) == [
        "implan/cache.py:1: implan imports implan.portal",
        "implan/history.py:2: implan imports planning.models.Plan",
        "implan/text.py:1: implan imports implan.portal.search.KINDS",
        "councils/services.py:2: councils imports planning.services",
        "indicators/selectors.py:1: indicators imports councils.models.Body",
        "projects/forms.py:1: projects imports implan.portal.search.hit",
    ]
