"""The default run (bin/start) is on SQLite, where the suite's PostgreSQL-only query forms do not exist: the pages of
a logged-in user must work there too (a PostgreSQL array in the request user's query once made every one answer 500).

The script builds an in-memory SQLite database from the models (the migrations take a minute there) and walks a
planner's pages in a subprocess, as the suite's own database is PostgreSQL."""

import textwrap

from tests.implan.test_settings import _run

WALK = textwrap.dedent(
    """
    import django
    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings


    class NoMigrations(dict):
        def __contains__(self, app):
            return True

        def __getitem__(self, app):
            return None


    with override_settings(MIGRATION_MODULES=NoMigrations()):
        call_command("migrate", run_syncdb=True, verbosity=0)
    from django.contrib.auth.models import Group, User
    from django.test import Client

    from implan import roles
    from implan.notifications import notify
    from tests.factories import BudgetLineFactory

    user = User.objects.create_user("planeadora", password="x" * 14)
    user.groups.add(Group.objects.create(name=roles.PLANNING))
    notify(kind="vote_opened", title="Aviso", user=user)
    budget = BudgetLineFactory().budget  # a budget, its line and what they name, each with its history
    client = Client()
    client.force_login(user)
    pages = {
        "espacio": "/espacio/",
        "avisos": "/espacio/avisos/",
        "inicio": "/",
        "presupuesto": f"/espacio/presupuestos/{budget.pk}/",
    }
    for label, path in pages.items():
        response = client.get(path)
        print(label, response.status_code, b'aria-label="1 sin leer">1</span>' in response.content)
    client.force_login(User.objects.create_superuser("admin", password="x" * 14))
    response = client.get("/espacio/auditoria/")  # every historical table in one union
    print("auditoria", response.status_code, budget.title in response.content.decode())
    """
)


def test_a_logged_in_planner_walks_the_workspace_on_sqlite():
    result = _run(["-c", WALK], DATABASE_URL="sqlite:///:memory:", DEBUG="1", ALLOWED_HOSTS="testserver")
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stdout.splitlines()[-5:] == [
        "espacio 200 True",
        "avisos 200 True",
        "inicio 200 True",
        "presupuesto 200 True",
        "auditoria 200 True",
    ]
