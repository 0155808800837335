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
    # A conditional UPDATE claims a session's reminder, so two runs of the periodic command (two machines) send it
    # once; the stamp is bookkeeping of the command, not a change people make or read in the history.
    "councils/services/notices.py:session_reminders_send": "claims the session's reminder once (reminder_sent_at)",
    "implan/portal/demo/portfolio.py:_dated_event": "demo: back-dates an event row (events carry no history)",
    "implan/portal/demo/portfolio.py:_story": "demo: back-dates the proposal's creation and the assessment's date",
    "implan/portal/demo/portfolio.py:_details": "demo: back-dates the creation history row of an allocation",
    "implan/portal/demo/consultation.py:build_reported_consultation": "demo: moves a consultation's end a fortnight "
    "back once its comments came in (they are taken only within the period), as the nightly command would find it",
    "implan/tasks.py:requeue_waiting": "renews updated_at of a job waiting for a worker (indicator loads, "
    "admin imports: job bookkeeping without history); the caller passes the job model's queryset",
}


def _models_without_history() -> set[str]:
    """Class names of the apps' models that carry no history (job bookkeeping, staging rows, catalogues)."""
    from django.apps import apps

    return {
        m.__name__
        for label in APPS
        for m in apps.get_app_config(label).get_models()
        if getattr(m, "history", None) is None
    }


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
        "def staging(rows):\n    ImportRow.objects.filter(job=1).delete()\n"
    )
    assert history_skipping_calls(tmp_path, ["app"]) == {"app/services.py:sneaky", "app/services.py:bulky"}


# --- The Django admin writes only through the services, or not at all ---------------------------------------------

# Modules outside an app's services that write on a service's behalf: the import worker's set-based load.
OTHER_WRITERS = {"indicators": ["indicators/jobs.py", "indicators/rates.py"]}

# "app_label.Model" → why its admin may still write by hand although a service writes the model too. Everything a
# service writes is otherwise read-only in the admin (add, change and delete refused even to a superuser), and
# imported only through resources that save each row through the services (``ServiceResource``). The parts of
# planning's instruments are edited by hand only while their instrument is a draft (``DraftOnlyAdmin``, the
# services' own rule); once submitted they are the record a body votes on.
ADMIN_WRITES = {
    "councils.Body": "bodies are created and described here (no service creates one); their voting rules, which "
    "councils.services sets and records, are read-only once the body exists",
    "councils.Person": "the register of people (names, account links, contact data) is kept here; the workspace's "
    "person_create only registers a name typed while seating someone",
    "councils.AgendaItem": "a point's text is corrected here while its session is only convened; its subject, which "
    "the convocation checks, is read-only, and a session under way makes it record",
    "projects.ScoringCriterion": "criteria are named and described here; their weights and whether they are in "
    "force, which projects.services.criteria_configure checks, are read-only",
    "projects.Project": "every field is read-only; only the commitments in draft government plans change, and "
    "ProjectAdmin.save_related makes each through projects.services",
}


def service_written_models(root: Path = ROOT, apps: list[str] = APPS) -> set[str]:
    """Labels of the models an app's services import from the app's own models to write them."""
    from django.apps import apps as registry

    found = set()
    for app in apps:
        models = {m.__name__: m._meta.label for m in registry.get_app_config(app).get_models()}
        paths = [
            root / app / "services.py",
            *sorted((root / app / "services").glob("*.py")),
            *(root / p for p in OTHER_WRITERS.get(app, [])),
        ]
        for path in filter(Path.exists, paths):
            for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
                if isinstance(node, ast.ImportFrom) and node.module == f"{app}.models":
                    found |= {models[a.name] for a in node.names if a.name in models}
    return found


def _superuser_request():
    from django.contrib.auth import get_user_model
    from django.test import RequestFactory

    request = RequestFactory().get("/admin/")
    request.user = get_user_model()(username="auditoria", is_superuser=True, is_staff=True, is_active=True)
    return request


def _admin_pages():
    """Every ModelAdmin of the portal's apps, and every inline on them: (model, admin, is_inline)."""
    from django.contrib import admin

    for model, model_admin in admin.site._registry.items():
        if model._meta.app_label not in APPS:
            continue
        yield model, model_admin, False
        for inline_class in model_admin.inlines:
            yield inline_class.model, inline_class(model, admin.site), True


def _hand_writes(model_admin, request, is_inline: bool) -> set[str]:
    """What a superuser may do by hand on that page: add, change, delete, import."""
    add = model_admin.has_add_permission(request, None) if is_inline else model_admin.has_add_permission(request)
    writes = {
        "add": add,
        "change": model_admin.has_change_permission(request, None),
        "delete": model_admin.has_delete_permission(request, None),
    }
    return {name for name, allowed in writes.items() if allowed}


def _imports_past_the_services(model_admin, request) -> bool:
    from implan.resources_base import ServiceResource

    if not getattr(model_admin, "has_import_permission", None) or not model_admin.has_import_permission(request):
        return False
    return not all(issubclass(r, ServiceResource) for r in model_admin.get_import_resource_classes(request))


def admin_writes_past_the_services() -> dict[str, set[str]]:
    """Admin pages that let a superuser write by hand a model the services write, with what they let them do."""
    from planning.admin import DraftOnlyAdmin, DraftOnlyInline

    written, request, found = service_written_models(), _superuser_request(), {}
    for model, model_admin, is_inline in _admin_pages():
        if model._meta.label not in written or model._meta.label in ADMIN_WRITES:
            continue
        if isinstance(model_admin, DraftOnlyAdmin | DraftOnlyInline):
            continue
        writes = _hand_writes(model_admin, request, is_inline)
        if not is_inline and _imports_past_the_services(model_admin, request):
            writes.add("import")
        if writes:
            found[f"{type(model_admin).__name__} ({model._meta.label})"] = writes
    return found


def test_the_admin_writes_what_the_services_write_only_through_them():
    assert admin_writes_past_the_services() == {}


def test_the_scan_knows_what_the_services_write():
    written = service_written_models()
    assert {
        "councils.Membership",
        "projects.AgencyLiaison",
        "projects.Milestone",
        "indicators.Observation",
        "planning.BudgetLine",
    } <= written
    assert "implan.Territory" not in written and "councils.PersonContact" not in written
    assert set(ADMIN_WRITES) <= written  # an exemption for a model no service writes is stale


def test_a_new_admin_that_edits_a_service_written_model_by_hand_fails(monkeypatch):
    from django.contrib import admin

    from projects.models import Milestone

    monkeypatch.setitem(admin.site._registry, Milestone, admin.ModelAdmin(Milestone, admin.site))
    assert admin_writes_past_the_services() == {"ModelAdmin (projects.Milestone)": {"add", "change", "delete"}}


def test_every_admin_that_writes_by_hand_keeps_history():
    request = _superuser_request()
    silent = {
        model._meta.label
        for model, model_admin, is_inline in _admin_pages()
        if _hand_writes(model_admin, request, is_inline) and getattr(model, "history", None) is None
    }
    assert silent == set()
