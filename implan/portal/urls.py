"""The site layer's pages: public home, search, feed, open data, workspace home, language, health, audit log."""

from django.urls import path

from implan.portal import inbox, views
from implan.portal.feeds import PublicationsFeed

# The site's pages kept the namespace they had before the site layer moved out of the core: templates, tests and
# the login and logout redirects (settings.py) reverse "implan:home", "implan:search"..., and those names, like the
# paths, must not change.
app_name = "implan"

urlpatterns = [
    path("", views.home, name="home"),
    path("buscar/", views.search, name="search"),
    path("datos/", views.open_data, name="open_data"),
    path("feeds/publicaciones.atom", PublicationsFeed(), name="feed"),
    path("espacio/", views.workspace, name="workspace"),
    path("idioma/<str:code>/", views.language, name="language"),
    path("salud/", views.health, name="health"),
    path("salud/lista/", views.readiness, name="readiness"),
    path("espacio/auditoria/", views.audit_log, name="audit_log"),
    path("espacio/historial/<str:model_label>/<int:history_id>/revertir/", views.history_revert, name="history_revert"),
    path("espacio/avisos/", inbox.inbox, name="inbox"),
    path("espacio/avisos/leidos/", inbox.inbox_mark_read, name="inbox_mark_read"),
    path("espacio/avisos/preferencias/", inbox.preferences, name="notification_preferences"),
    path("avisos/baja/<str:token>/", inbox.unsubscribe, name="unsubscribe"),
]
