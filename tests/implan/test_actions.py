"""One way for a one-shot view to call a service: a refusal of the domain becomes the next page's error message."""

from __future__ import annotations

import pytest
from django.contrib import messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.exceptions import PermissionDenied
from django.test import RequestFactory

from implan.actions import refusal_as_message
from implan.errors import DomainError


def _request():
    request = RequestFactory().post("/espacio/algo/")
    request._messages = CookieStorage(request)
    return request


def _shown(request) -> list[tuple[int, str]]:
    return [(m.level, m.message) for m in request._messages]


def _service() -> None:
    raise DomainError("El presupuesto está aprobado.")


def test_a_refusal_becomes_an_error_message_and_ends_the_block():
    request, reached = _request(), []
    with refusal_as_message(request):
        _service()
        reached.append("success message")
    assert _shown(request) == [(messages.ERROR, "El presupuesto está aprobado.")]
    assert reached == []


def test_an_accepted_call_runs_the_whole_block_and_adds_no_error():
    request = _request()
    with refusal_as_message(request):
        messages.success(request, "Listo.")
    assert _shown(request) == [(messages.SUCCESS, "Listo.")]


def test_anything_but_a_refusal_of_the_domain_passes_through():
    with pytest.raises(PermissionDenied), refusal_as_message(_request()):
        raise PermissionDenied
