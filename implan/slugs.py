"""Readable, unique identifiers for public URLs (``/proyectos/parque-lineal-rio-de-los-gomez/``)."""

from __future__ import annotations

from django.db import models
from django.utils.text import slugify

# Room left in the slug field for the «-2», «-3»… that tells namesakes apart.
SUFFIX_ROOM = 10


def unique_slug(queryset: models.QuerySet, text: str, *, fallback: str) -> str:
    """The slug of ``text`` not yet taken in ``queryset`` (a model's rows, or those of one plan): ``base``, then
    ``base-2``, ``base-3``…; ``fallback`` when ``text`` has nothing a slug can keep.

    Two writers may both find the same slug free; the unique index (or the caller's retry) settles it.
    """
    length = queryset.model._meta.get_field("slug").max_length - SUFFIX_ROOM
    base = slugify(text)[:length] or fallback
    slug, n = base, 1
    while queryset.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
