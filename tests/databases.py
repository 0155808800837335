"""Each test process's database, cloned from one migrated template that stays on the server between runs.

Running the 80-odd migrations takes about 34 seconds of CPU (Django renders the models' states again and again);
every run, every pytest-xdist worker and every `bin/test tests/one_file.py` paid it. The migrated database is now
kept as a template named after a digest of every migration file on disk (the project's and the installed
packages'), so a change to any migration, or a package upgrade that brings new ones, builds a new template; the
stale ones of the same test database are dropped. Each process then gets its own copy with PostgreSQL's
``CREATE DATABASE … TEMPLATE …``, a file copy of well under a second.

The first process that finds no template builds it under a file lock; the others wait for it rather than migrate
too. A template half-built by a process that died is never used: it is built under another name and renamed only
once migrated.
"""

from __future__ import annotations

import fcntl
import hashlib
import inspect
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import psycopg.conninfo
from django.core.management import call_command
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.migrations.loader import MigrationLoader

# PostgreSQL's limit on a database's name is 63 bytes; the digest's first 12 hex digits are plenty.
DIGEST_LENGTH = 12


def migrations_digest() -> str:
    """A digest of every migration file Django would apply, in a stable order."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    digest = hashlib.sha256()
    for key in sorted(loader.disk_migrations):
        module = inspect.getmodule(loader.disk_migrations[key])
        digest.update(repr(key).encode())
        digest.update(Path(inspect.getfile(module)).read_bytes())
    return digest.hexdigest()[:DIGEST_LENGTH]


def create_from_template(connection: BaseDatabaseWrapper, name: str) -> None:
    """Make ``name`` a fresh copy of the migrated template (building the template first if needed), and point the
    connection at it, as Django's own ``create_test_db`` leaves it."""
    template = ensure_template(connection, base=name.rsplit("_gw", 1)[0])  # xdist's workers share one template
    quote = connection.ops.quote_name
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(name)} WITH (FORCE)")  # a killed run's workers may linger
        cursor.execute(f"CREATE DATABASE {quote(name)} TEMPLATE {quote(template)}")
    point_at(connection, name)


# A PostgreSQL DROP DATABASE waits for a checkpoint of the whole server: seconds (up to ten seen) when the other
# worker's database is busy, at the end of every worker. The database is renamed at once and dropped by a process of
# its own that the run does not wait for.
DROP_IN_BACKGROUND = """
import sys, psycopg
with psycopg.connect(sys.argv[1], autocommit=True) as connection:
    connection.execute(f'DROP DATABASE IF EXISTS "{sys.argv[2]}"')
"""


def drop(connection: BaseDatabaseWrapper, name: str) -> None:
    connection.close()
    quote = connection.ops.quote_name
    doomed = f"{name}_del_{os.getpid()}"
    with connection._nodb_cursor() as cursor:
        cursor.execute(f"DROP DATABASE IF EXISTS {quote(doomed)}")
        cursor.execute(f"ALTER DATABASE {quote(name)} RENAME TO {quote(doomed)}")
    settings = connection.settings_dict
    server = psycopg.conninfo.make_conninfo(
        host=settings["HOST"] or None,
        port=settings["PORT"] or None,
        user=settings["USER"] or None,
        password=settings["PASSWORD"] or None,
        dbname="postgres",
    )
    subprocess.Popen(
        [sys.executable, "-c", DROP_IN_BACKGROUND, server, doomed],
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def ensure_template(connection: BaseDatabaseWrapper, *, base: str) -> str:
    """The name of the migrated template of the test database ``base``, built if it does not exist yet."""
    template = f"{base}_tpl_{migrations_digest()}"
    quote = connection.ops.quote_name
    lock_path = Path(tempfile.gettempdir()) / f"{template}.lock"
    with open(lock_path, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if _exists(connection, template):
            return template
        building = f"{template}_b"
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"DROP DATABASE IF EXISTS {quote(building)}")
            cursor.execute(f"CREATE DATABASE {quote(building)}")
        original = connection.settings_dict["NAME"]
        point_at(connection, building)
        try:
            call_command("migrate", verbosity=0, interactive=False, run_syncdb=True)
        finally:
            point_at(connection, original)
        with connection._nodb_cursor() as cursor:
            cursor.execute(f"ALTER DATABASE {quote(building)} RENAME TO {quote(template)}")
            # Templates of earlier migrations of this same test database: nobody will clone them again.
            cursor.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s AND datname <> %s",
                [f"{base}\\_tpl\\_%", template],
            )
            for (stale,) in cursor.fetchall():
                cursor.execute(f"DROP DATABASE IF EXISTS {quote(stale)}")
    return template


def _exists(connection: BaseDatabaseWrapper, name: str) -> bool:
    with connection._nodb_cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def point_at(connection: BaseDatabaseWrapper, name: str) -> None:
    from django.conf import settings

    connection.close()
    settings.DATABASES[connection.alias]["NAME"] = name
    connection.settings_dict["NAME"] = name


if __name__ == "__main__":
    # bin/test builds the template here while mypy runs, so that the two take the machine's two cores.
    import django

    django.setup()
    from django.db import connection

    ensure_template(connection, base=connection.creation._get_test_db_name())
