"""Permission rows of the indicators app."""

from __future__ import annotations

from tests.permissions.matrix import Row, World


def build(world: World) -> None:
    """Adds the indicators objects its rows point at."""


ROWS: dict[str, Row] = {}
