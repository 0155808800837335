"""The task engine is chosen by one setting and named by one module (implan.tasks), so a backend can be swapped
and the move to Django 6's own ``django.tasks`` changes one file. (The tasks themselves run on both backends in
tests/indicators/test_background.py and test_interrupted_jobs.py.)"""

from pathlib import Path

from tests.implan.test_import_direction import APPS, ROOT, imported_modules
from tests.implan.test_settings import _run

ENGINE = ("django_tasks", "django_tasks_db", "django_tasks_rq", "django_rq", "rq")
# The one module that names the engine, and the settings, which configure it.
MAY_NAME_THE_ENGINE = {"implan/tasks.py", "implan/settings.py"}
PRINT_BACKEND = (
    "import django; django.setup(); from implan.tasks import task_backends; from django.conf import settings as s; "
    "print(type(task_backends['default']).__name__, s.TASKS_QUEUE, 'django_rq' in s.INSTALLED_APPS)"
)


def test_only_implan_tasks_names_the_task_engine():
    found = []
    for app in APPS:
        for path in sorted((ROOT / app).rglob("*.py")):
            relative = path.relative_to(ROOT).as_posix()
            if relative in MAY_NAME_THE_ENGINE or "/migrations/" in relative:
                continue
            found += [
                f"{relative}:{line}: {module}"
                for line, module in imported_modules(path, ROOT)
                if module.split(".")[0] in ENGINE
            ]
    assert found == []


def test_the_database_backend_is_the_default_and_needs_no_other_service():
    result = _run(["-c", PRINT_BACKEND], DEBUG="1")
    assert result.stdout.split() == ["DatabaseBackend", "default", "False"], result.stderr


def test_tasks_backend_rq_runs_on_redis_with_its_own_queue_name():
    env = {"DEBUG": "1", "TASKS_BACKEND": "rq", "REDIS_URL": "redis://127.0.0.1:6379/0", "TASKS_QUEUE": "leon"}
    result = _run(["-c", PRINT_BACKEND], **env)
    assert result.stdout.split() == ["RQBackend", "leon", "True"], result.stderr
    assert _run(["manage.py", "check"], **env).returncode == 0  # django-rq knows the queue the backend uses


def test_tasks_backend_rq_without_redis_url_stops_with_a_clear_message():
    result = _run(["manage.py", "check"], DEBUG="1", TASKS_BACKEND="rq", REDIS_URL="")
    assert result.returncode != 0 and "TASKS_BACKEND=rq necesita REDIS_URL" in result.stderr


def test_an_unknown_tasks_backend_is_refused():
    result = _run(["manage.py", "check"], DEBUG="1", TASKS_BACKEND="celery")
    assert result.returncode != 0 and "TASKS_BACKEND debe ser" in result.stderr


def test_the_scan_sees_the_engine_named_anywhere_else(tmp_path):
    path = tmp_path / "indicators" / "jobs.py"
    path.parent.mkdir()
    path.write_text("def run():\n    from django_tasks import task\n")
    assert [module for _, module in imported_modules(Path(path), tmp_path)] == ["django_tasks.task"]
