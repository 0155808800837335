"""Permission rows of the planning app: the plan and its instruments."""

from __future__ import annotations

from tests.permissions.matrix import Row, World


def build(world: World) -> None:
    """Adds the planning objects its rows point at."""


ROWS: dict[str, Row] = {}
