"""How a one-shot view (a button that posts: delete, publish, close a session) calls a service.

The view runs the service and its success message inside ``refusal_as_message``; a rule of the domain that refuses
(``DomainError``, nothing saved) becomes the error message of the next page instead, and the view redirects either
way::

    with refusal_as_message(request):
        services.session_close(actor=request.user, session=session)
        messages.success(request, _("La sesión concluyó."))
    return redirect("councils:workspace_session", pk=session.pk)

Form views that show the refusal next to the form (``form.add_error``) catch ``DomainError`` themselves.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.contrib import messages
from django.http import HttpRequest

from implan.errors import DomainError


@contextmanager
def refusal_as_message(request: HttpRequest) -> Iterator[None]:
    """A ``DomainError`` raised in the block becomes an error message and ends the block (so its success message is
    not shown); any other exception passes through."""
    try:
        yield
    except DomainError as error:
        messages.error(request, error.message)
