"""gunicorn's settings for the portal, read from ``gunicorn.conf.py`` at the project's root (gunicorn loads that file
from the folder it starts in) or with ``gunicorn -c python:implan.gunicorn_conf``.

Without ``REDIS_URL`` the page cache lives in each process's memory: with several workers, each one would go on
serving its own copy of a page after a publication, until its copy expires. gunicorn says so when it starts.
"""

from __future__ import annotations

import os
from typing import Any

SHARED_CACHE_WARNING = (
    "Sin REDIS_URL cada uno de los %(workers)s procesos de gunicorn guarda su propia caché de páginas: tras una "
    "publicación, algunos seguirían sirviendo la versión anterior. Defina REDIS_URL (caché compartida) o use un solo "
    "proceso (--workers 1)."
)


def needs_shared_cache(workers: int, environ: dict[str, str] | os._Environ = os.environ) -> bool:
    return workers > 1 and not environ.get("REDIS_URL", "").strip()


def on_starting(server: Any) -> None:
    """gunicorn's hook, run once in the master process before any worker starts."""
    if needs_shared_cache(server.cfg.workers):
        server.log.warning(SHARED_CACHE_WARNING % {"workers": server.cfg.workers})
