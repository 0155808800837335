"""The maxima of the free texts people write, enforced on every write path.

A ``TextField``'s ``max_length`` alone binds only forms; the validator binds ``full_clean`` (the admin, import
resources, ``planning.services.plan``) and ``require_text_limits`` binds the services, which call it before they
save (through each app's ``stamp`` / ``with_reason``). The request size cap (``MAX_REQUEST_MB``) stays the outer
wall; these say, per field and in Spanish, how much text fits.
"""

from __future__ import annotations

from typing import Any, cast

from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from implan.errors import DomainError

SHORT_TEXT = 2_000  # a reason, an address, a formula, a criterion's explanation
TEXT = 10_000  # a description, a summary, a narrative, a motion
LONG_TEXT = 100_000  # Markdown (a diagnosis or report section, a strategy), minutes, texts the portal composes


def limited_text(verbose_name: Any, *, max_length: int, **kwargs: Any) -> models.TextField:
    """A TextField whose maximum binds forms (``max_length``) and model validation (the validator) alike."""
    return models.TextField(verbose_name, max_length=max_length, validators=[MaxLengthValidator(max_length)], **kwargs)


def too_long(label: Any, *, limit: int, length: int) -> str:
    return ngettext(
        "«%(field)s» admite como máximo %(limit)s carácter; tiene %(length)s.",
        "«%(field)s» admite como máximo %(limit)s caracteres; tiene %(length)s.",
        limit,
    ) % {
        "field": label,
        "limit": number_format(limit, force_grouping=True),
        "length": number_format(length, force_grouping=True),
    }


def require_text_limits(obj: models.Model) -> None:
    """Refuse (``DomainError``) the first text of ``obj`` over its field's maximum, before anything is saved.

    The reason django-simple-history will record (``_change_reason``) counts too: its column is simple-history's,
    so its maximum lives here.
    """
    for field in obj._meta.concrete_fields:
        if isinstance(field, models.TextField) and field.max_length:
            length = len(getattr(obj, field.attname) or "")
            if length > field.max_length:
                raise DomainError(too_long(field.verbose_name, limit=field.max_length, length=length))
    reason = str(getattr(obj, "_change_reason", "") or "")
    if len(reason) > SHORT_TEXT:
        raise DomainError(too_long(_("motivo"), limit=SHORT_TEXT, length=len(reason)))


def text_limit(model: type[models.Model], name: str) -> int:
    """The maximum of a model's text, for a plain form's field that feeds it (one number, kept by the model)."""
    # A text field's max_length is an int; django-stubs types any field here, whose max_length may be None.
    return cast(int, cast(models.Field, model._meta.get_field(name)).max_length)
