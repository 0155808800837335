"""Small readers of environment variables, so settings stay declarative."""

import os
import re
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

_TRUE = {"1", "true", "yes", "on", "si", "sí"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, *, default: str) -> str:
    return os.environ.get(name, default)


def env_bool(name: str, *, default: bool) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        return default
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    raise ValueError(f"La variable de entorno {name} debe ser verdadera o falsa (1/0, true/false); vale {raw!r}.")


def env_list(name: str, *, default: list[str]) -> list[str]:
    raw = os.environ.get(name)
    if raw is None:
        return default
    return [item.strip() for item in raw.split(",") if item.strip()]


def tile_sources(template: str) -> list[str]:
    """The CSP img-src origin of a map tile URL template ({s} subdomains become a wildcard); none when empty."""
    if not template:
        return []
    parts = urlsplit(template.replace("{s}", "*"))
    return [f"{parts.scheme}://{parts.netloc}"]


# Frictionless requires a licence's name to be an identifier like the Open Definition's ("CC-BY-4.0").
LICENCE_NAME = re.compile(r"[-a-zA-Z0-9._]+")


def open_data_licence(*, name: str, title: str, url: str) -> dict[str, str]:
    """The licence of every open-data file, checked once at start-up so no descriptor is published invalid."""
    if not LICENCE_NAME.fullmatch(name):
        raise ImproperlyConfigured(
            f"OPEN_DATA_LICENCE_NAME debe ser un identificador sin espacios (letras, dígitos, «.», «-», «_»), "
            f"como CC-BY-4.0; vale {name!r}. El nombre legible va en OPEN_DATA_LICENCE_TITLE."
        )
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc or not url.isascii():
        raise ImproperlyConfigured(f"OPEN_DATA_LICENCE_URL debe ser una dirección http(s) completa; vale {url!r}.")
    return {"name": name, "title": title.strip() or name, "url": url}
