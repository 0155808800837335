"""The site shell: the public home and the workspace home.

Like ``implan/urls.py``, these two pages compose every app, so this module is the one place in ``implan``
that imports upward (apps' models and querysets); the catalogues in ``implan.models`` import nothing above.
"""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from implan import selectors


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "implan/home.html", selectors.public_home())


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    return render(request, "implan/workspace.html", selectors.workspace_for(request.user))
