"""Councils' URLs: public record pages and open data (public_urls) and the workspace (workspace_urls)."""

from councils.public_urls import urlpatterns as public_urlpatterns
from councils.workspace_urls import urlpatterns as workspace_urlpatterns

app_name = "councils"

urlpatterns = public_urlpatterns + workspace_urlpatterns
