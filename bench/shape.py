"""Tables of the same shape as the portal's, for the COPY floors the benchmarks print beside the portal's loads."""

from __future__ import annotations

from typing import Any


def same_shape(cursor: Any, name: str, like: str) -> None:
    """Create ``name`` with the shape of ``like``: its columns, defaults, checks and indexes (``LIKE … INCLUDING
    ALL``) and its foreign keys, which ``LIKE`` never copies (PostgreSQL's documentation says so).

    The keys matter to a floor: PostgreSQL checks each for every row written, by COPY as by any INSERT (an
    observation's indicator and territory, a locality's parent), so a table without them is of another shape, cheaper
    to fill than the real one can ever be. A key that refers to ``like`` itself (a territory's parent) refers to
    ``name``, whose rows the floor then writes too.
    """
    cursor.execute(f"DROP TABLE IF EXISTS {name}")
    cursor.execute(f"CREATE TABLE {name} (LIKE {like} INCLUDING ALL)")
    cursor.execute(
        "SELECT confrelid = conrelid, pg_get_constraintdef(oid) FROM pg_constraint "
        "WHERE conrelid = %s::regclass AND contype = 'f' ORDER BY conname",
        [like],
    )
    for n, (itself, definition) in enumerate(cursor.fetchall()):
        if itself:
            definition = definition.replace(f"REFERENCES {like}(", f"REFERENCES {name}(")
        cursor.execute(f"ALTER TABLE {name} ADD CONSTRAINT {name}_fk{n} {definition}")
