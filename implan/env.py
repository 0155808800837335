"""Small readers of environment variables, so settings stay declarative."""

import os
import re
from dataclasses import dataclass
from urllib.parse import parse_qsl, unquote, urlsplit

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


@dataclass(frozen=True)
class EmailConfig:
    backend: str
    host: str = "localhost"
    port: int = 25
    user: str = ""
    password: str = ""
    use_tls: bool = False
    use_ssl: bool = False
    timeout: float = 10.0


EMAIL_SCHEMES = {
    "smtp": ("django.core.mail.backends.smtp.EmailBackend", 25, False, False),
    "smtp+tls": ("django.core.mail.backends.smtp.EmailBackend", 587, True, False),  # STARTTLS
    "smtps": ("django.core.mail.backends.smtp.EmailBackend", 465, False, True),  # TLS from the first byte
    "console": ("django.core.mail.backends.console.EmailBackend", 0, False, False),
}


def email_config(url: str) -> EmailConfig:
    """The SMTP server from one URL: ``smtp+tls://user:password@mail.example.org:587`` (STARTTLS), ``smtps://…``
    (port 465), ``smtp://host:25`` (no encryption: a relay on the same machine), or ``console://`` (messages printed,
    for a developer's machine). Reserved characters of the user or password are %-encoded; ``?timeout=`` in seconds
    (10 by default: a worker must not hang on a silent server)."""
    parts = urlsplit(url)
    if parts.scheme not in EMAIL_SCHEMES:
        raise ImproperlyConfigured(
            f"EMAIL_URL debe empezar por {', '.join(s + '://' for s in EMAIL_SCHEMES)}; vale {parts.scheme!r}."
        )
    backend, port, use_tls, use_ssl = EMAIL_SCHEMES[parts.scheme]
    if parts.scheme == "console":
        return EmailConfig(backend=backend)
    query = dict(parse_qsl(parts.query))
    return EmailConfig(
        backend=backend,
        host=parts.hostname or "localhost",
        port=parts.port or port,
        user=unquote(parts.username or ""),
        password=unquote(parts.password or ""),
        use_tls=use_tls,
        use_ssl=use_ssl,
        timeout=float(query.get("timeout", 10)),
    )
