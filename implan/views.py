from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "implan/home.html", {})


@login_required
def workspace(request: HttpRequest) -> HttpResponse:
    return render(request, "implan/workspace.html", {})
