"""Types the apps share, for the type checker (mypy with django-stubs; `bin/test` runs it).

Nothing here imports a model at run time, so any module (settings' helpers, models) may import it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias, TypeVar

from django.http import HttpRequest, HttpResponseBase
from django.utils.functional import Promise

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser, User

# The account a service acts for: a signed-in person (the portal uses Django's own User model), never anonymous.
Actor: TypeAlias = "User"

# Whoever a permission check is asked about: an account, or the anonymous visitor of a public page.
AnyUser: TypeAlias = "User | AnonymousUser"

# What a person reads: a plain string or a lazy translation (gettext_lazy).
Label: TypeAlias = str | Promise

# A response handed back as it came, with headers added (a file download, a streamed CSV).
ResponseT = TypeVar("ResponseT", bound=HttpResponseBase)


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is an account, not ``AnonymousUser``.

    Only an annotation: Django builds a plain HttpRequest; the decorator is what makes the promise true.
    """

    user: User
