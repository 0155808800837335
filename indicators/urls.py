"""URLs of the indicators app: public pages, open data and workspace."""

from django.urls import path, re_path

from indicators.views import public, territories, workspace

app_name = "indicators"

urlpatterns = [
    path("indicadores/", public.dashboard, name="dashboard"),
    path("indicadores/calendario/", public.update_calendar, name="update_calendar"),
    path("indicadores/<slug:slug>/", public.indicator_detail, name="indicator_detail"),
    path("indicadores/<slug:slug>/comparar/", territories.indicator_comparison, name="indicator_comparison"),
    path("indicadores/<slug:slug>/mapa.geojson", territories.indicator_map_geojson, name="indicator_map_geojson"),
    path("datos/territorios.csv", territories.catalogue_csv, name="territories_csv"),
    path("datos/territorios.json", territories.catalogue_json, name="territories_json"),
    path("datos/indicadores/datapackage.json", public.datapackage, name="datapackage"),
    re_path(
        r"^datos/indicadores/(?P<resource>indicadores|observaciones)\.(?P<fmt>csv|xlsx)$", public.export, name="export"
    ),
    path("espacio/indicadores/", workspace.catalogue, name="workspace_catalogue"),
    path("espacio/indicadores/nuevo/", workspace.indicator_create, name="indicator_create"),
    path("espacio/indicadores/<int:pk>/", workspace.indicator_detail, name="workspace_indicator"),
    path("espacio/indicadores/<int:pk>/editar/", workspace.indicator_update, name="indicator_update"),
    path(
        "espacio/indicadores/<int:pk>/desagregaciones/",
        workspace.indicator_breakdown_add,
        name="indicator_breakdown_add",
    ),
    path("espacio/indicadores/<int:pk>/tasa/", workspace.indicator_rate_define, name="indicator_rate_define"),
    path("espacio/indicadores/cargas/", workspace.import_list, name="import_list"),
    path("espacio/indicadores/cargas/<int:pk>/", workspace.import_detail, name="import_detail"),
    path("espacio/indicadores/cargas/<int:pk>/progreso.json", workspace.import_progress, name="import_progress"),
    path("espacio/indicadores/cargas/<int:pk>/confirmar/", workspace.import_confirm, name="import_confirm"),
    path("espacio/indicadores/cargas/<int:pk>/descartar/", workspace.import_discard, name="import_discard"),
    path("espacio/indicadores/cargas/<int:pk>/reintentar/", workspace.import_retry, name="import_retry"),
    path("espacio/indicadores/territorios/", territories.territory_import_list, name="territory_import_list"),
    path(
        "espacio/indicadores/territorios/cargas/<int:pk>/",
        territories.territory_import_detail,
        name="territory_import_detail",
    ),
    path(
        "espacio/indicadores/territorios/cargas/<int:pk>/progreso.json",
        territories.territory_import_progress,
        name="territory_import_progress",
    ),
    path(
        "espacio/indicadores/territorios/cargas/<int:pk>/confirmar/",
        territories.territory_import_confirm,
        name="territory_import_confirm",
    ),
    path(
        "espacio/indicadores/territorios/cargas/<int:pk>/descartar/",
        territories.territory_import_discard,
        name="territory_import_discard",
    ),
    path(
        "espacio/indicadores/territorios/<str:code>/limite/", territories.territory_boundary, name="territory_boundary"
    ),
    path("espacio/indicadores/exportar/", workspace.export_selection, name="export_selection"),
]
