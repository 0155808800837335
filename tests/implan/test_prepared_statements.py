"""PostgreSQL reuses the plan of a query the portal repeats on one connection (server-side binding, prepared by
psycopg the second time), unless DB_PREPARED_STATEMENTS=0 says a pooler in front cannot keep prepared statements."""

import pytest
from django.contrib.auth import get_user_model
from django.db import connection

from tests.implan.test_settings import _run


def _prepared_here() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_prepared_statements")
        return cursor.fetchone()[0]


@pytest.mark.django_db
def test_a_query_run_twice_on_one_connection_is_prepared_and_keeps_its_answers():
    users = get_user_model().objects
    first = users.create(username="ana")
    second = users.create(username="beto")
    before = _prepared_here()
    # The same SQL with other values, as a page does on every request: prepared the second time, reused after.
    found = [users.filter(pk=pk).values_list("username", flat=True).get() for pk in (first.pk, second.pk, first.pk)]
    assert found == ["ana", "beto", "ana"]
    assert _prepared_here() > before


def test_the_switch_turns_prepared_statements_off_and_sqlite_never_gets_them():
    show = "import django; django.setup(); from django.db import connection as c; print(c.settings_dict['OPTIONS'])"
    url = "postgres://postgres@127.0.0.1:5432/implan"
    on = _run(["-c", show], DATABASE_URL=url, DEBUG="1").stdout
    off = _run(["-c", show], DATABASE_URL=url, DEBUG="1", DB_PREPARED_STATEMENTS="0").stdout
    sqlite = _run(["-c", show], DEBUG="1").stdout
    assert "'server_side_binding': True" in on and "'prepare_threshold': 2" in on
    assert "server_side_binding" not in off and "server_side_binding" not in sqlite
