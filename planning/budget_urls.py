"""Money and accountability: the annual budget, the annual report (page and PDF), the evaluation, and the
budget's open data. Public pages and workspace."""

from django.urls import path  # noqa: F401 - patterns are added here

urlpatterns: list = []
