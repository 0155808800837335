"""Login throttling, sessions, headers and production settings."""

import datetime
import os
import subprocess
import sys
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

ROOT = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.django_db


def _login(client, username, password, address):
    return client.post(reverse("login"), {"username": username, "password": password}, REMOTE_ADDR=address)


def test_five_failures_lock_that_username_from_that_address_only(client):
    UserFactory(username="consejero07")
    for _ in range(5):
        _login(client, "consejero07", "equivocada", "10.9.9.9")
    locked = _login(client, "consejero07", PASSWORD, "10.9.9.9")
    assert locked.status_code == 429
    assert "bloqueado temporalmente" in locked.content.decode()
    # The member, from their own address, still gets in: an attacker cannot lock them out.
    response = _login(client, "consejero07", PASSWORD, "10.1.1.1")
    assert response.status_code == 302
    assert response["Location"] == reverse("implan:workspace")


def test_login_starts_a_new_session(client):
    UserFactory(username="planeador")
    client.get(reverse("login"))
    client.session["marca"] = "antes"
    client.session.save()
    before = client.session.session_key
    _login(client, "planeador", PASSWORD, "10.1.1.1")
    assert client.session.session_key != before


def test_a_deactivated_user_is_logged_out_on_the_next_request(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("implan:workspace")).status_code == 200
    user.is_active = False
    user.save()
    response = client.get(reverse("implan:workspace"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_sessions_expire_after_thirty_idle_minutes(settings):
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_REFRESH_SECONDS == 60


def _expiry(client) -> datetime.datetime:
    from django.contrib.sessions.models import Session

    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_a_session_is_renewed_by_activity_at_most_once_a_minute(client):
    """Each request used to write the session; now a request renews it only when the last renewal is a minute old."""
    user = UserFactory()
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, 0, tzinfo=datetime.UTC), tick=False) as traveller:
        client.force_login(user)
        renewed = _expiry(client)  # the login counts as a renewal
        client.get(reverse("implan:workspace"))
        assert _expiry(client) == renewed
        traveller.shift(30)
        client.get(reverse("implan:workspace"))
        assert _expiry(client) == renewed
        traveller.shift(31)
        client.get(reverse("implan:workspace"))
        assert _expiry(client) == renewed + datetime.timedelta(seconds=61)
        traveller.shift(29 * 60 + 59)  # idle for less than 30 minutes since the last renewal: still logged in
        assert client.get(reverse("implan:workspace")).status_code == 200
        traveller.shift(31 * 60)
        assert client.get(reverse("implan:workspace")).status_code == 302


@pytest.mark.parametrize("password", ["corta", "password12345", "123456789012345"])
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


@pytest.mark.parametrize(("password", "accepted"), [("la-presa-del-palote-2026", True), ("password12345", False)])
def test_an_administrator_sets_a_password_only_when_it_is_long_and_uncommon(client, superuser, password, accepted):
    user = UserFactory(username="consejero09")
    client.force_login(superuser)
    form = {"password1": password, "password2": password, "usable_password": "true"}
    response = client.post(reverse("admin:auth_user_password_change", args=[user.pk]), form)
    assert response.status_code == (302 if accepted else 200)  # a refused password shows the form again
    client.logout()
    assert (_login(client, "consejero09", password, "10.2.2.2").status_code == 302) is accepted


def test_portal_pages_forbid_inline_scripts_and_framing(client):
    policy = client.get(reverse("implan:home"))["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"] == "'self'"
    assert "'unsafe-inline'" not in directives["style-src"]
    assert directives["frame-ancestors"] == "'none'"
    response = client.get(reverse("implan:home"))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["X-Frame-Options"] == "DENY"


def test_only_the_admin_gets_a_relaxed_policy(client, superuser):
    client.force_login(superuser)
    policy = client.get("/admin/")["Content-Security-Policy"]
    assert "'unsafe-inline'" in policy


def _manage(*args: str, **env: str) -> subprocess.CompletedProcess:
    unset = {"DATABASE_URL", "DEBUG", "SECRET_KEY", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    clean = {k: v for k, v in os.environ.items() if k not in unset}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**clean, **env},
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_under_production_settings():
    result = _manage(
        "check",
        "--deploy",
        "--fail-level",
        "WARNING",
        DEBUG="0",
        SECRET_KEY="x7$Kq9!vLz2@pR4#wN8^mT1&bY6*cH3(jF5)dG0_sA-eU+oI=lE",
        ALLOWED_HOSTS="planeacion.example.mx",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_request_over_the_size_limit_is_refused_before_it_is_read(client, settings, planner):
    settings.MAX_REQUEST_BYTES = 1024
    client.force_login(planner)
    response = client.post(reverse("implan:workspace"), {"texto": "x" * 5000})
    assert response.status_code == 413
    assert "rebasa el máximo" in response.content.decode()


def test_an_upload_without_a_declared_length_is_stopped_at_the_limit(rf, settings):
    from django.core.exceptions import RequestDataTooBig
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test.client import encode_multipart

    settings.MAX_REQUEST_BYTES = 2048
    body = encode_multipart("LIMITE", {"archivo": SimpleUploadedFile("grande.csv", b"a,b\n" * 4000)})
    request = rf.generic("POST", "/", body, content_type="multipart/form-data; boundary=LIMITE")
    with pytest.raises(RequestDataTooBig):
        request.FILES  # noqa: B018 - reading the body runs the upload handlers


def test_errors_speak_spanish(client, planner):
    client.force_login(planner)
    assert "No encontramos esta página" in client.get("/no-existe/").content.decode()
