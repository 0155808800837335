"""Tamper evidence: recompute the content hash of everything that was approved and compare."""

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db import models

from implan.hashing import content_hash


@dataclass(frozen=True)
class Mismatch:
    model: str
    pk: int
    label: str


def hashed_models() -> list[type[models.Model]]:
    """Every model that stores a content hash and says what it covers (``hashed_content``)."""
    return [m for m in apps.get_models() if hasattr(m, "hashed_content") and hasattr(m, "content_hash")]


def verify_all() -> tuple[int, list[Mismatch]]:
    """Check every row that carries a hash; return how many were checked and which do not match."""
    checked = 0
    mismatches = []
    obj: Any  # a model with hashed_content() and content_hash, as hashed_models() checked
    for model in hashed_models():
        for obj in model._default_manager.exclude(content_hash="").iterator():
            checked += 1
            if content_hash(obj.hashed_content()) != obj.content_hash:
                mismatches.append(Mismatch(model._meta.label, obj.pk, str(obj)))
    return checked, mismatches
