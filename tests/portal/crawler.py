"""A small crawler over the public site with Django's test client: follows every same-site link from the home page
and from the open-data hub, never into the workspace, the admin or the account pages."""

from __future__ import annotations

import io
import re
from collections import Counter, deque
from collections.abc import Iterator
from dataclasses import dataclass
from html import unescape
from urllib.parse import parse_qsl, urldefrag, urlsplit

from django.test import Client
from django.urls import Resolver404, resolve
from openpyxl import load_workbook
from pypdf import PdfReader

from implan.exports import XLSX_TYPE

LINK = re.compile(r"""(?:href|src)\s*=\s*["']([^"']+)["']""")
PRIVATE_PREFIXES = ("/espacio/", "/admin/", "/cuenta/", "/idioma/", "/static/", "/media/")
TEXT_TYPES = (
    "text/",
    "application/json",
    "application/geo+json",
    "application/ld+json",
    "application/xml",
    "application/atom+xml",
    "application/vnd.geo+json",
)
# Paths that name a download rather than a page: a crawl that reads only HTML (the XSS check) does not fetch them.
FILE_SUFFIXES = (".pdf", "/pdf/", ".csv", ".xlsx", ".ics", ".json", ".geojson", ".atom", ".xml")


@dataclass(frozen=True)
class Page:
    url: str
    status: int
    content_type: str
    text: str


def crawl(
    client: Client,
    seeds: list[str],
    *,
    limit: int = 2000,
    within: str = "",
    per_kind: int | None = None,
    pdfs_per_kind: int | None = None,
    html_only: bool = False,
) -> Iterator[Page]:
    """Every page and file reachable from ``seeds``, each once (query strings count as distinct pages).

    Public crawl by default; ``within="/espacio/"`` crawls the workspace instead (with a logged-in client).
    ``per_kind``: at most that many pages of each kind (one view with one set of query parameters), the first ones
    reached; the demo's workspace has 68 membership forms that differ only in the person's name.
    ``pdfs_per_kind``: at most that many PDFs of each kind: one PDF is laid out from one template whatever its rows,
    and each costs seconds.
    ``html_only``: downloads are not fetched at all (paths such as ``….pdf`` or ``….csv``, and any kind that answered
    a file once), for a check that reads only pages.
    """
    seen: set[str] = set()
    kinds: Counter[str] = Counter()
    files: Counter[str] = Counter()  # kind -> downloads fetched, for the kinds that answered a file
    pdfs: Counter[str] = Counter()
    queue = deque(seeds)
    while queue and len(seen) < limit:
        url = queue.popleft()
        if url in seen:
            continue
        seen.add(url)
        kind = _kind(url)
        if html_only and (urlsplit(url).path.endswith(FILE_SUFFIXES) or kind in files):
            continue
        if pdfs_per_kind is not None and pdfs[kind] >= pdfs_per_kind:
            continue
        kinds[kind] += 1
        if per_kind is not None and kinds[kind] > per_kind:
            continue
        response = client.get(url)
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html"):
            files[kind] += 1
        if content_type.startswith("application/pdf"):
            pdfs[kind] += 1
        body = b"".join(response.streaming_content) if response.streaming else response.content
        text = _text(body, content_type)
        yield Page(url=url, status=response.status_code, content_type=content_type, text=text)
        if content_type.startswith("text/html"):
            queue.extend(u for u in _links(text, within) if u not in seen)


def _text(body: bytes, content_type: str) -> str:
    """What a reader would see in the file: a text's characters, or every cell of a spreadsheet (a leak check must
    read inside the XLSX downloads too)."""
    if content_type.startswith(TEXT_TYPES):
        return body.decode("utf-8", "replace")
    if content_type.startswith(XLSX_TYPE):
        workbook = load_workbook(io.BytesIO(body), read_only=True)
        return "\n".join(
            "\t".join("" if v is None else str(v) for v in row)
            for sheet in workbook.worksheets
            for row in sheet.iter_rows(values_only=True)
        )
    if content_type.startswith("application/pdf"):
        return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(body)).pages)
    return ""


def _kind(url: str) -> str:
    parts = urlsplit(url)
    try:
        view = resolve(parts.path).view_name
    except Resolver404:
        view = parts.path
    return view + "?" + ",".join(sorted({key for key, _value in parse_qsl(parts.query, keep_blank_values=True)}))


def _links(html: str, within: str = "") -> Iterator[str]:
    for raw in LINK.findall(html):
        url, _fragment = urldefrag(unescape(raw))
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or not parts.path.startswith("/"):
            continue  # other sites, mailto:, relative oddities
        if within and not parts.path.startswith(within):
            continue
        if not within and parts.path.startswith(PRIVATE_PREFIXES):
            continue
        yield parts.path + (f"?{parts.query}" if parts.query else "")
