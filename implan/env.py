"""Small readers of environment variables, so settings stay declarative."""

import os
from urllib.parse import urlsplit

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
