"""Types the apps share, for the type checker (mypy with django-stubs; `bin/test` runs it)."""

from typing import TypeAlias

from django.contrib.auth.models import User
from django.http import HttpRequest
from django.utils.functional import Promise

# The account a service acts for: a signed-in person (the portal uses Django's own User model), never anonymous.
Actor: TypeAlias = User

# What a person reads: a plain string or a lazy translation (gettext_lazy).
Label: TypeAlias = str | Promise


class AuthenticatedRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is an account, not ``AnonymousUser``.

    Only an annotation: Django builds a plain HttpRequest; the decorator is what makes the promise true.
    """

    user: User
