"""A copy of the whole database taken once and written back in a fraction of a second.

Loading the León demo takes seconds of CPU; a dozen tests need it. The suite loads it once per run (tests/conftest.py,
demo_snapshot), copies every table out with PostgreSQL's binary COPY, rolls the load back, and each test that needs
the demo writes those rows back into its own database: inside the test's transaction (rolled back at its end, like
anything else the test does) or, for the live-server tests, committed (pytest-django's flush empties it afterwards).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction


def _tables() -> list[str]:
    # The tables `manage.py flush` empties: every model's, the many-to-many ones included, not django_migrations.
    return sorted(connection.introspection.django_table_names(only_existing=True, include_views=False))


_SUPERUSER: list[bool] = []  # asked once per process


def _is_superuser(cursor) -> bool:
    if not _SUPERUSER:
        cursor.execute("SELECT rolsuper FROM pg_roles WHERE rolname = current_user")
        _SUPERUSER.append(cursor.fetchone()[0])
    return _SUPERUSER[0]


@dataclass(frozen=True)
class Snapshot:
    tables: list[str]
    rows: dict[str, bytes]  # table -> its rows in COPY's binary format, for the tables with rows
    sequences: list[tuple[str, str, str]]  # (table, column, sequence)

    @classmethod
    def take(cls) -> Snapshot:
        tables, rows, sequences = _tables(), {}, []
        with connection.cursor() as cursor:
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            for table in tables:
                with raw.copy(f"COPY {connection.ops.quote_name(table)} TO STDOUT (FORMAT binary)") as copy:
                    data = b"".join(bytes(chunk) for chunk in copy)
                if raw.rowcount:
                    rows[table] = data
                sequences += [
                    (table, s["column"], s["name"]) for s in connection.introspection.get_sequences(cursor, table)
                ]
        return cls(tables, rows, sequences)

    def restore(self, *, as_the_transaction_began: frozenset[str] = frozenset()) -> None:
        """Makes the database hold exactly the snapshot's rows (whatever it held before).

        ``as_the_transaction_began``: tables whose rows in the snapshot are those they held when the current
        transaction began (a world built on the migrated rows leaves the permissions, content types and catalogues
        as they were). Those that no statement of this transaction has written to are left as they are instead of
        being emptied and filled with the same rows again; those written to are restored like the others.
        """
        quote = connection.ops.quote_name
        with transaction.atomic(), connection.cursor() as cursor:
            untouched = _untouched(cursor, as_the_transaction_began)
            # Foreign keys are DEFERRABLE INITIALLY DEFERRED (Django's way on PostgreSQL): checked at the end, so the
            # tables can be emptied and filled in any order. Checks pending from the test's earlier writes are made
            # first, so those writes are judged on their own.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE; SET CONSTRAINTS ALL DEFERRED")
            if _is_superuser(cursor):
                # The snapshot's rows passed every foreign-key check when they were written, and every row of every
                # table is replaced: the triggers that would check them again (at the test's end, row by row, about
                # half of a restore's cost) are off for the restore only. A role that may not do this checks them.
                cursor.execute("SET LOCAL session_replication_role = replica")
            # DELETE on the few tables with rows, not TRUNCATE on all: TRUNCATE makes new files for every table and
            # index, seconds for a hundred tables, where a test's database holds little more than the migrations'.
            tables = [table for table in self.tables if table not in untouched]
            cursor.execute(
                " UNION ALL ".join(f"SELECT %s WHERE EXISTS (SELECT 1 FROM {quote(t)})" for t in tables),
                tables,
            )
            for (table,) in cursor.fetchall():
                cursor.execute(f"DELETE FROM {quote(table)}")
            raw = cursor.cursor  # psycopg's own cursor: Django's wrapper has no copy()
            for table, data in self.rows.items():
                if table in untouched:
                    continue
                with raw.copy(f"COPY {quote(table)} FROM STDIN (FORMAT binary)") as copy:
                    copy.write(data)
            # Sequences only move forward: one set back would fall behind the rows a rolled-back restore leaves.
            cursor.execute(
                "; ".join(
                    f"SELECT setval('{quote(name)}', GREATEST((SELECT MAX({quote(column)}) FROM {quote(table)}), "
                    f"(SELECT last_value FROM {quote(name)})))"
                    for table, column, name in self.sequences
                )
            )
            if _is_superuser(cursor):
                cursor.execute("SET LOCAL session_replication_role = origin")
        # Content types are cached by id; the snapshot's ids may differ from those the database held.
        ContentType.objects.clear_cache()


def _untouched(cursor, tables: frozenset[str]) -> frozenset[str]:
    """The ``tables`` no statement of the current transaction has inserted into, updated or deleted from: PostgreSQL
    counts each table's row changes per transaction (pg_stat_xact_all_tables), those of rolled-back savepoints too."""
    if not tables:
        return frozenset()
    cursor.execute(
        "SELECT relname FROM pg_stat_xact_all_tables WHERE schemaname = 'public' AND relname = ANY(%s) "
        "AND n_tup_ins + n_tup_upd + n_tup_del > 0",
        [sorted(tables)],
    )
    return tables - {table for (table,) in cursor.fetchall()}
