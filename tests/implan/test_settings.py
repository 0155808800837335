"""Settings come from the environment; with nothing set the portal runs on SQLite, with DEBUG off."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
UNSET = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "DJANGO_ALLOW_ASYNC_UNSAFE"}
PRINT_SETTINGS = (
    "import django; django.setup(); from django.conf import settings as s; "
    "print(s.DATABASES['default']['ENGINE'], s.LANGUAGE_CODE, s.TIME_ZONE, s.USE_TZ, s.DEBUG)"
)


def _run(args: list[str], **env: str) -> subprocess.CompletedProcess:
    clean = {k: v for k, v in os.environ.items() if k not in UNSET}
    return subprocess.run(
        [sys.executable, *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**clean, "DJANGO_SETTINGS_MODULE": "implan.settings", **env},
    )


def test_without_debug_a_missing_secret_key_stops_the_portal_with_a_clear_message():
    result = _run(["manage.py", "check"], DEBUG="0")
    assert result.returncode != 0
    assert "SECRET_KEY no está definida" in result.stderr


def test_with_a_secret_key_production_settings_load():
    result = _run(["manage.py", "check"], DEBUG="0", SECRET_KEY="k" * 60, ALLOWED_HOSTS="example.org")
    assert result.returncode == 0, result.stderr


def test_with_nothing_but_a_key_set_the_portal_runs_on_sqlite_in_spanish_and_mexico_city_time_without_debug():
    result = _run(["-c", PRINT_SETTINGS], SECRET_KEY="k" * 60)
    assert result.stdout.split() == ["django.db.backends.sqlite3", "es-mx", "America/Mexico_City", "True", "False"]


def test_served_with_nothing_set_at_all_the_portal_asks_for_a_key_or_debug():
    result = _run(["-c", "import implan.wsgi"])
    assert result.returncode != 0
    assert "SECRET_KEY no está definida" in result.stderr and "DEBUG=1" in result.stderr


def test_manage_py_is_a_developers_tool_with_debug_on_unless_set():
    shown = _run(["manage.py", "shell", "-c", "from django.conf import settings; print(settings.DEBUG)"])
    assert shown.stdout.split()[-1] == "True"
    assert _run(["manage.py", "check"], DEBUG="0").returncode != 0  # production says DEBUG=0, and needs its key


def test_database_url_selects_postgresql():
    result = _run(["-c", PRINT_SETTINGS], DATABASE_URL="postgres://postgres@127.0.0.1:5432/implan", DEBUG="1")
    assert result.stdout.split()[0] == "django.db.backends.postgresql"


def test_a_malformed_debug_value_is_refused():
    result = _run(["manage.py", "check"], DEBUG="quizas")
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_sessions_are_read_from_the_shared_cache_only_when_there_is_one():
    show = "import django; django.setup(); from django.conf import settings as s; print(s.SESSION_ENGINE)"
    redis = _run(["-c", show], DEBUG="1", REDIS_URL="redis://127.0.0.1:6379/9").stdout.split()
    local = _run(["-c", show], DEBUG="1").stdout.split()
    assert redis == ["django.contrib.sessions.backends.cached_db"]
    assert local == ["django.contrib.sessions.backends.db"]
