"""A programme's MIR: its public page and PDF (by the programme's key) and its workspace page and forms."""

from django.urls import path

from planning.views import mir

urlpatterns = [
    path("programas/<str:code>/mir/", mir.mir_public, name="mir_public"),
    path("datos/mir.csv", mir.mir_csv, name="mir_csv"),
    path("datos/mir.json", mir.mir_json, name="mir_json"),
    path("programas/<str:code>/mir.pdf", mir.mir_public_pdf, name="mir_public_pdf"),
    path("espacio/programas/<int:pk>/mir/", mir.mir_workspace, name="mir_workspace"),
    path("espacio/programas/<int:pk>/mir/renglones/nuevo/", mir.MirRowCreate.as_view(), name="mir_row_create"),
    path("espacio/mir/renglones/<int:pk>/editar/", mir.MirRowEdit.as_view(), name="mir_row_edit"),
    path("espacio/mir/renglones/<int:pk>/eliminar/", mir.MirRowDelete.as_view(), name="mir_row_delete"),
    path(
        "espacio/mir/renglones/<int:pk>/indicadores/nuevo/",
        mir.MirIndicatorCreate.as_view(),
        name="mir_indicator_create",
    ),
    path("espacio/mir/indicadores/<int:pk>/editar/", mir.MirIndicatorEdit.as_view(), name="mir_indicator_edit"),
    path("espacio/mir/indicadores/<int:pk>/eliminar/", mir.MirIndicatorDelete.as_view(), name="mir_indicator_delete"),
    path(
        "espacio/mir/indicadores/<int:pk>/variables/nueva/", mir.MirVariableCreate.as_view(), name="mir_variable_create"
    ),
    path("espacio/mir/variables/<int:pk>/eliminar/", mir.MirVariableDelete.as_view(), name="mir_variable_delete"),
]
