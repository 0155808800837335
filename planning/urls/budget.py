"""The annual budget: its public pages and open data (Fiscal Data Package), and its workspace."""

from django.urls import path

from planning.views import budget, citizen_budget

urlpatterns = [
    # Public site: published versions only.
    path("presupuesto/", budget.budget_index, name="budget_index"),
    path("presupuesto/<int:year>/", budget.budget_year, name="budget_year"),
    path("presupuesto/<int:year>/clasificaciones/", budget.budget_classifications, name="budget_classifications"),
    path("presupuesto/<int:year>/lineas/", budget.budget_lines, name="budget_lines"),
    path("presupuesto/<int:year>/ciudadano/", citizen_budget.citizen_budget, name="citizen_budget"),
    path(
        "presupuesto/<int:year>/ciudadano/presupuesto-ciudadano.pdf",
        citizen_budget.citizen_budget_pdf_view,
        name="citizen_budget_pdf",
    ),
    path("datos/presupuesto/<int:year>/datapackage.json", budget.budget_datapackage, name="budget_datapackage"),
    path("datos/presupuesto/<int:year>/lineas.csv", budget.budget_csv, name="budget_csv"),
    # Workspace: the planning staff.
    path("espacio/presupuestos/", budget.budget_list, name="budget_list"),
    path("espacio/presupuestos/nuevo/", budget.budget_create, name="budget_create"),
    path("espacio/presupuestos/<int:pk>/", budget.budget_detail, name="budget_workspace"),
    path("espacio/presupuestos/<int:pk>/editar/", budget.budget_edit, name="budget_edit"),
    path("espacio/presupuestos/<int:pk>/lineas/nueva/", budget.line_create, name="budget_line_create"),
    path("espacio/presupuestos/<int:pk>/asignaciones/", budget.ceiling_set, name="programme_ceiling_set"),
    path("espacio/lineas-presupuestales/<int:pk>/editar/", budget.line_edit, name="budget_line_edit"),
    path("espacio/lineas-presupuestales/<int:pk>/eliminar/", budget.line_delete, name="budget_line_delete"),
    path("espacio/lineas-presupuestales/<int:pk>/ejecucion/", budget.line_execution, name="budget_line_execution"),
    path("espacio/asignaciones/<int:pk>/eliminar/", budget.ceiling_remove, name="programme_ceiling_remove"),
    path("espacio/lineas-presupuestales/<int:pk>/trimestres/", budget.line_stages, name="budget_line_stages"),
    path("espacio/presupuestos/<int:pk>/cerrar-trimestre/", budget.quarter_close, name="budget_quarter_close"),
]
