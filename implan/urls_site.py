from django.urls import path

from implan import views
from implan.feeds import PublicationsFeed

app_name = "implan"

urlpatterns = [
    path("", views.home, name="home"),
    path("buscar/", views.search, name="search"),
    path("datos/", views.open_data, name="open_data"),
    path("feeds/publicaciones.atom", PublicationsFeed(), name="feed"),
    path("espacio/", views.workspace, name="workspace"),
    path("idioma/<str:code>/", views.language, name="language"),
    path("salud/", views.health, name="health"),
    path("espacio/auditoria/", views.audit_log, name="audit_log"),
    path("espacio/historial/<str:model_label>/<int:history_id>/revertir/", views.history_revert,
         name="history_revert"),
]
