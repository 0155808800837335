"""Permission rows of the site shell: home, workspace home, login, language, the Django admin."""

from __future__ import annotations

from tests.permissions.matrix import DONE, LOGIN, OK, Row, World, everyone, fixed, logged_in


def build(world: World) -> None:
    """The shell's pages need no objects of their own."""


ROWS: dict[str, Row] = {
    "implan:home": Row(fixed("implan:home"), everyone(OK)),
    "implan:workspace": Row(fixed("implan:workspace"), logged_in(OK)),
    "login": Row(fixed("login"), everyone(OK)),
    "logout": Row(fixed("logout"), everyone(DONE), method="post"),
    "set_language": Row(fixed("set_language"), everyone(DONE), method="post", data={"language": "en"}),
    "admin:index": Row(fixed("admin:index"), {**logged_in(LOGIN), "administrador": OK}),
}
