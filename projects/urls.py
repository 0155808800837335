"""URLs of the projects app: the public portfolio and its open data, and the workspace."""

from django.urls import path

from projects.views import public, workspace

app_name = "projects"

urlpatterns = [
    path("proyectos/", public.project_list, name="project_list"),
    path("proyectos/mapa.geojson", public.project_geojson, name="project_geojson"),
    path("proyectos/exportar.<str:fmt>", public.project_export, name="project_export"),
    path("proyectos/evidencias/<int:pk>/", public.evidence_file, name="evidence_file"),
    path("proyectos/<slug:slug>/", public.project_detail, name="project_detail"),
    path("datos/proyectos.oc4ids.json", public.oc4ids_package, name="oc4ids"),
    path("espacio/proyectos/", workspace.portfolio, name="workspace_portfolio"),
    path("espacio/proyectos/proponer/", workspace.propose, name="project_propose"),
    path("espacio/proyectos/criterios/", workspace.criteria, name="criteria"),
    path("espacio/proyectos/enlaces/", workspace.liaisons, name="liaisons"),
    path("espacio/proyectos/enlaces/<int:pk>/quitar/", workspace.liaison_revoke, name="liaison_revoke"),
    path("espacio/proyectos/<int:pk>/", workspace.project_detail, name="workspace_project"),
    path("espacio/proyectos/<int:pk>/datos/", workspace.project_edit, name="project_edit"),
    path("espacio/proyectos/<int:pk>/evaluar/", workspace.project_assess, name="project_assess"),
    path("espacio/proyectos/<int:pk>/estado/", workspace.project_transition, name="project_transition"),
    path("espacio/proyectos/<int:pk>/avance/", workspace.progress_report, name="progress_report"),
    path("espacio/proyectos/<int:pk>/hitos/nuevo/", workspace.milestone_add, name="milestone_add"),
    path("espacio/hitos/<int:pk>/", workspace.milestone_edit, name="milestone_edit"),
    path("espacio/proyectos/<int:pk>/asignaciones/nueva/", workspace.allocation_add, name="allocation_add"),
]
