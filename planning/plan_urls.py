"""The plan and its instruments: diagnosis, vision, vertientes, strategies, objectives, goals, programmes, the
government plan; versions and their differences. Public pages and workspace."""

from django.urls import path  # noqa: F401 - patterns are added here

urlpatterns: list = []
