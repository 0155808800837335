"""The evaluation of the plan: its public page, and its workspace (findings and recommendations)."""

from django.urls import path

from planning.views import evaluation

urlpatterns = [
    # Public site: published versions only.
    path("evaluacion/", evaluation.evaluation_index, name="evaluation_index"),
    path("evaluacion/<int:year>/", evaluation.evaluation_year, name="evaluation_year"),
    # Workspace: the planning staff.
    path("espacio/evaluaciones/", evaluation.evaluation_list, name="evaluation_list"),
    path("espacio/evaluaciones/nueva/", evaluation.evaluation_create, name="evaluation_create"),
    path("espacio/evaluaciones/<int:pk>/", evaluation.evaluation_workspace, name="evaluation_workspace"),
    path("espacio/evaluaciones/<int:pk>/editar/", evaluation.evaluation_edit, name="evaluation_edit"),
    path("espacio/evaluaciones/<int:pk>/hallazgos/nuevo/", evaluation.finding_create, name="finding_create"),
    path("espacio/hallazgos/<int:pk>/editar/", evaluation.finding_edit, name="finding_edit"),
    path("espacio/hallazgos/<int:pk>/eliminar/", evaluation.finding_delete, name="finding_delete"),
]
