"""The annual report: its public page and PDF, and its workspace (narrative sections, preview PDF)."""

from django.urls import path

from planning.views import report

urlpatterns = [
    # Public site: published versions only.
    path("informe/", report.report_index, name="report_index"),
    path("informe/<int:year>/", report.report_year, name="report_year"),
    path("informe/<int:year>/informe-anual.pdf", report.report_year_pdf, name="report_year_pdf"),
    # Workspace: the planning staff.
    path("espacio/informes/", report.report_list, name="report_list"),
    path("espacio/informes/nuevo/", report.report_create, name="report_create"),
    path("espacio/informes/<int:pk>/", report.report_workspace, name="report_workspace"),
    path("espacio/informes/<int:pk>/editar/", report.report_edit, name="report_edit"),
    path("espacio/informes/<int:pk>/informe.pdf", report.report_pdf_preview, name="report_pdf_preview"),
    path("espacio/informes/<int:pk>/secciones/nueva/", report.section_create, name="report_section_create"),
    path("espacio/secciones-informe/<int:pk>/editar/", report.section_edit, name="report_section_edit"),
    path("espacio/secciones-informe/<int:pk>/eliminar/", report.section_delete, name="report_section_delete"),
]
