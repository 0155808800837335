"""Money and accountability: the annual budget, the annual report (page and PDF), the evaluation, and the
budget's open data. Public pages and workspace."""

from django.urls import path

from planning.views import budget_public, budget_workspace, evaluation, report

urlpatterns = [
    # Public site: published versions only.
    path("presupuesto/", budget_public.budget_index, name="budget_index"),
    path("presupuesto/<int:year>/", budget_public.budget_year, name="budget_year"),
    path("datos/presupuesto/<int:year>/datapackage.json", budget_public.budget_datapackage,
         name="budget_datapackage"),
    path("datos/presupuesto/<int:year>/lineas.csv", budget_public.budget_csv, name="budget_csv"),
    path("informe/", report.report_index, name="report_index"),
    path("informe/<int:year>/", report.report_year, name="report_year"),
    path("informe/<int:year>/informe-anual.pdf", report.report_year_pdf, name="report_year_pdf"),
    path("evaluacion/", evaluation.evaluation_index, name="evaluation_index"),
    path("evaluacion/<int:year>/", evaluation.evaluation_year, name="evaluation_year"),
    # Workspace: the planning staff.
    path("espacio/presupuestos/", budget_workspace.budget_list, name="budget_list"),
    path("espacio/presupuestos/nuevo/", budget_workspace.budget_create, name="budget_create"),
    path("espacio/presupuestos/<int:pk>/", budget_workspace.budget_detail, name="budget_workspace"),
    path("espacio/presupuestos/<int:pk>/editar/", budget_workspace.budget_edit, name="budget_edit"),
    path("espacio/presupuestos/<int:pk>/lineas/nueva/", budget_workspace.line_create, name="budget_line_create"),
    path("espacio/presupuestos/<int:pk>/asignaciones/", budget_workspace.ceiling_set, name="programme_ceiling_set"),
    path("espacio/lineas-presupuestales/<int:pk>/editar/", budget_workspace.line_edit, name="budget_line_edit"),
    path("espacio/lineas-presupuestales/<int:pk>/eliminar/", budget_workspace.line_delete,
         name="budget_line_delete"),
    path("espacio/lineas-presupuestales/<int:pk>/ejecucion/", budget_workspace.line_execution,
         name="budget_line_execution"),
    path("espacio/asignaciones/<int:pk>/eliminar/", budget_workspace.ceiling_remove,
         name="programme_ceiling_remove"),
    path("espacio/informes/", report.report_list, name="report_list"),
    path("espacio/informes/nuevo/", report.report_create, name="report_create"),
    path("espacio/informes/<int:pk>/", report.report_workspace, name="report_workspace"),
    path("espacio/informes/<int:pk>/editar/", report.report_edit, name="report_edit"),
    path("espacio/informes/<int:pk>/informe.pdf", report.report_pdf_preview, name="report_pdf_preview"),
    path("espacio/informes/<int:pk>/secciones/nueva/", report.section_create, name="report_section_create"),
    path("espacio/secciones-informe/<int:pk>/editar/", report.section_edit, name="report_section_edit"),
    path("espacio/secciones-informe/<int:pk>/eliminar/", report.section_delete, name="report_section_delete"),
    path("espacio/evaluaciones/", evaluation.evaluation_list, name="evaluation_list"),
    path("espacio/evaluaciones/nueva/", evaluation.evaluation_create, name="evaluation_create"),
    path("espacio/evaluaciones/<int:pk>/", evaluation.evaluation_workspace, name="evaluation_workspace"),
    path("espacio/evaluaciones/<int:pk>/editar/", evaluation.evaluation_edit, name="evaluation_edit"),
    path("espacio/evaluaciones/<int:pk>/hallazgos/nuevo/", evaluation.finding_create, name="finding_create"),
    path("espacio/hallazgos/<int:pk>/editar/", evaluation.finding_edit, name="finding_edit"),
    path("espacio/hallazgos/<int:pk>/eliminar/", evaluation.finding_delete, name="finding_delete"),
]
