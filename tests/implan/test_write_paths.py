"""No write path skips history: queryset-level writes (``.update()``, ``.delete()`` on a queryset, ``bulk_create``,
``bulk_update``) bypass django-simple-history, so each one in the portal's code must be listed here with its reason.

Use ``simple_history.utils.bulk_create_with_history`` / ``bulk_update_with_history`` instead, or save objects one by
one. A new history-skipping call anywhere in the apps fails this test until it is justified below. Writes to models
that carry no history (job bookkeeping, staging rows) are not counted. Set-based SQL that writes history rows itself
(indicators.jobs, checked against the historical table's columns) is tested by the import tests.
"""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
APPS = ["implan", "councils", "planning", "projects", "indicators"]
BULK = {"bulk_create", "bulk_update"}
QUERYSET_WRITES = {"update", "delete"}
QUERYSET_SOURCES = {"objects", "filter", "exclude", "all", "select_for_update", "_base_manager", "_default_manager"}

# "path:function" → why it may skip history.
ALLOWED = {
    "indicators/sdg.py:load_catalogue": "the UN's SDG list is an official catalogue loaded from files, not edited "
                                        "by people (SdgCode carries no history)",
    # The demo portfolio tells each project's story on 2024–2025 dates; services stamp "now", so it back-dates the
    # timestamps afterwards. A history row recording a changed timestamp would only add noise to the demo.
    "implan/portal/demo/portfolio.py:_dated_event": "demo: back-dates an event row (events carry no history)",
    "implan/portal/demo/portfolio.py:_story": "demo: back-dates the proposal's creation and the assessment's date",
    "implan/portal/demo/portfolio.py:_details": "demo: back-dates the creation history row of an allocation",
}


def _models_without_history() -> set[str]:
    """Class names of the apps' models that carry no history (job bookkeeping, staging rows, catalogues)."""
    from django.apps import apps

    return {m.__name__ for label in APPS for m in apps.get_app_config(label).get_models()
            if getattr(m, "history", None) is None}


def _root_name(node: ast.AST) -> str:
    while isinstance(node, ast.Call | ast.Attribute):
        node = node.func if isinstance(node, ast.Call) else node.value
    return node.id if isinstance(node, ast.Name) else ""


def _is_queryset(node: ast.AST) -> bool:
    """``X.objects``, ``qs.filter(...)``, ``qs.exclude(...)``... — an expression that reads as a queryset."""
    while isinstance(node, ast.Call):
        node = node.func
    return isinstance(node, ast.Attribute) and (node.attr in QUERYSET_SOURCES or _is_queryset(node.value))


def history_skipping_calls(root: Path = ROOT, apps: list[str] = APPS) -> set[str]:
    """Functions with a queryset-level write on a model that keeps history (or on one the scan cannot name)."""
    exempt = _models_without_history()
    found = set()
    for app in apps:
        for path in (root / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(), filename=str(path))
            for function in [n for n in ast.walk(tree) if isinstance(n, ast.FunctionDef | ast.AsyncFunctionDef)]:
                for call in [n for n in ast.walk(function) if isinstance(n, ast.Call)]:
                    func = call.func
                    if not isinstance(func, ast.Attribute):
                        continue
                    if _root_name(func.value) in exempt:
                        continue
                    if func.attr in BULK or (func.attr in QUERYSET_WRITES and _is_queryset(func.value)):
                        found.add(f"{path.relative_to(root)}:{function.name}")
    return found


def test_every_history_skipping_write_is_justified():
    assert history_skipping_calls() - set(ALLOWED) == set()


def test_the_scan_sees_such_calls(tmp_path):
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "services.py").write_text(
        "def sneaky(model, rows):\n    model.objects.filter(pk=1).update(name='x')\n\n"
        "def bulky(model, rows):\n    model.objects.bulk_create(rows)\n\n"
        "def fine(data):\n    data.update({'a': 1})\n\n"
        "def staging(rows):\n    ImportRow.objects.filter(job=1).delete()\n")
    assert history_skipping_calls(tmp_path, ["app"]) == {"app/services.py:sneaky", "app/services.py:bulky"}
