"""Permission rows of the URL namespace ``implan``: the site layer's pages (home, workspace home, search, open data,
language, audit log; ``implan/portal/urls.py``), the login and the Django admin."""

from __future__ import annotations

from django.conf import settings

from implan import notifications
from tests.factories import AgencyFactory
from tests.permissions.matrix import DONE, FORBIDDEN, LOGIN, OK, Row, World, everyone, fixed, logged_in


def build(world: World) -> None:
    """A change to revert: an agency renamed once."""
    agency = AgencyFactory(name="Dirección de Obra", slug="obra-matriz")
    agency.name = "Dirección General de Obra"
    agency.save()
    world.objects["agency_change"] = agency.history.first()
    world.objects["unsubscribe"] = notifications.unsubscribe_url(world.users["consejero"], "session_convened")


ADMIN_ONLY_PAGE = logged_in(FORBIDDEN, administrador=OK)

ROWS: dict[str, Row] = {
    "implan:home": Row(fixed("implan:home"), everyone(OK)),
    "implan:workspace": Row(fixed("implan:workspace"), logged_in(OK)),
    "implan:audit_log": Row(fixed("implan:audit_log"), ADMIN_ONLY_PAGE),
    "implan:history_revert": Row(
        lambda o: fixed("implan:history_revert", "implan.agency", o["agency_change"].history_id)(o),
        logged_in(FORBIDDEN, administrador=DONE),
        method="post",
    ),
    "login": Row(fixed("login"), everyone(OK)),
    "logout": Row(fixed("logout"), everyone(DONE), method="post"),
    "implan:search": Row(fixed("implan:search"), everyone(OK)),
    "implan:open_data": Row(fixed("implan:open_data"), everyone(OK)),
    "implan:feed": Row(fixed("implan:feed"), everyone(OK)),
    "implan:health": Row(fixed("implan:health"), everyone(OK)),
    "implan:readiness": Row(fixed("implan:readiness"), everyone(OK)),
    "implan:language": Row(fixed("implan:language", "en"), everyone(DONE)),
    "implan:inbox": Row(fixed("implan:inbox"), logged_in(OK)),
    "implan:inbox_mark_read": Row(fixed("implan:inbox_mark_read"), logged_in(DONE), method="post"),
    "implan:notification_preferences": Row(fixed("implan:notification_preferences"), logged_in(OK)),
    # The signed link at the foot of an e-mail works without logging in, for whoever opens it.
    "implan:unsubscribe": Row(lambda o: o["unsubscribe"].removeprefix(settings.PORTAL_URL), everyone(OK)),
    "admin:index": Row(fixed("admin:index"), {**logged_in(LOGIN), "administrador": OK}),
}
