"""Permission rows of the projects app."""

from __future__ import annotations

from tests.permissions.matrix import Row, World


def build(world: World) -> None:
    """Adds the projects objects its rows point at."""


ROWS: dict[str, Row] = {}
