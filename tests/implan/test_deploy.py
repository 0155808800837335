"""deploy/ stays in step with the code: the environment file names every variable the portal reads, nginx accepts
what the portal accepts, and every periodic timer runs a management command that exists."""

import configparser
import re
from pathlib import Path

from django.conf import settings
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
PACKAGES = ["implan", "councils", "planning", "projects", "indicators"]
# env_str("X"…), os.environ.get("X"), and dj-database-url's config(env="X").
READ = re.compile(r"""(?:env_(?:str|bool|list)\(|os\.environ\.get\(|os\.getenv\(|\benv=)\s*["']([A-Z][A-Z0-9_]*)["']""")
# A line of the file: NAME=value, or #NAME=value when the default is kept.
LISTED = re.compile(r"^#?([A-Z][A-Z0-9_]*)=", re.MULTILINE)


def variables_read_by_the_portal() -> set[str]:
    return {
        name
        for package in PACKAGES
        for path in (ROOT / package).rglob("*.py")
        for name in READ.findall(path.read_text())
    }


def test_the_scan_finds_the_variables_settings_read():
    assert {
        "DATABASE_URL",
        "SECRET_KEY",
        "REDIS_URL",
        "MAX_REQUEST_MB",
        "DEMO_PASSWORD",
    } <= variables_read_by_the_portal()


def test_the_environment_file_names_every_variable_the_portal_reads():
    listed = set(LISTED.findall((DEPLOY / "implan.env").read_text()))
    assert variables_read_by_the_portal() - listed == set()


def test_nginx_accepts_a_request_body_as_large_as_the_portal_does():
    nginx = (DEPLOY / "nginx" / "implan.conf").read_text()
    environment = (DEPLOY / "implan.env").read_text()
    megabytes = settings.MAX_REQUEST_BYTES // (1024 * 1024)
    assert re.findall(r"client_max_body_size (\d+)m;", nginx) == [str(megabytes)]
    assert re.findall(r"^#?MAX_REQUEST_MB=(\d+)$", environment, re.MULTILINE) == [str(megabytes)]


def _timer_commands() -> dict[str, str]:
    commands = {}
    for timer in (DEPLOY / "systemd").glob("*.timer"):
        unit = configparser.ConfigParser(strict=False, interpolation=None)
        unit.read_string(timer.read_text())
        commands[timer.name] = re.fullmatch(r"implan-manage@(\w+)\.service", unit["Timer"]["Unit"]).group(1)
    return commands


def test_every_periodic_timer_runs_a_management_command_that_exists():
    commands = _timer_commands()
    assert {"clearsessions", "verify_hashes", "mark_stalled_jobs"} <= set(commands.values())
    assert set(commands.values()) <= set(get_commands())
    assert (DEPLOY / "systemd" / "implan-manage@.service").exists()
