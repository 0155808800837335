"""URLs of the indicators app: public pages, open data and workspace."""

from django.urls import path  # noqa: F401 - patterns are added here

app_name = "indicators"

urlpatterns: list = []
