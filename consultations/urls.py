"""URLs of the consultations: public pages in Spanish (/consultas/…), open data (/datos/…), the workspace
(/espacio/consultas/…)."""

from django.urls import path

from consultations.views import follow, public, workspace

app_name = "consultations"

urlpatterns = [
    path("consultas/", public.consultation_list, name="list"),
    path("consultas/<slug:slug>/", public.consultation_detail, name="detail"),
    path("consultas/<slug:slug>/informe/", public.report_detail, name="report"),
    path("consultas/<slug:slug>/informe.csv", public.report_csv, name="report_csv"),
    path("consultas/<slug:slug>/informe.pdf", public.report_pdf_download, name="report_pdf"),
    path("datos/consultas.json", public.consultations_json, name="opendata_json"),
    path("datos/aportaciones-consultas.csv", public.contributions_csv, name="opendata_csv"),
    path("seguir/confirmar/<str:token>/", follow.subscription_confirm, name="subscription_confirm"),
    path("seguir/baja/<str:token>/", follow.unsubscribe, name="unsubscribe"),
    path("seguir/<str:kind>/<int:pk>/", follow.follow, name="follow"),
    path("seguir/<str:kind>/<int:pk>/novedades.atom", follow.FollowFeed(), name="follow_feed"),
    path("espacio/consultas/", workspace.consultation_list, name="workspace_list"),
    path("espacio/consultas/nueva/", workspace.consultation_create, name="create"),
    path("espacio/consultas/<int:pk>/", workspace.consultation_detail, name="workspace_detail"),
    path("espacio/consultas/<int:pk>/editar/", workspace.consultation_edit, name="edit"),
    path("espacio/consultas/<int:pk>/secciones/nueva/", workspace.section_add, name="section_add"),
    path("espacio/consultas/<int:pk>/secciones/del-instrumento/", workspace.sections_prefill, name="sections_prefill"),
    path("espacio/secciones-consulta/<int:pk>/quitar/", workspace.section_delete, name="section_delete"),
    path("espacio/consultas/<int:pk>/abrir/", workspace.consultation_open, name="open"),
    path("espacio/consultas/<int:pk>/cerrar/", workspace.consultation_close, name="close"),
    path("espacio/consultas/<int:pk>/moderacion/", workspace.moderation, name="moderation"),
    path("espacio/comentarios/<int:pk>/moderar/", workspace.comment_moderate, name="comment_moderate"),
    path("espacio/consultas/<int:pk>/foros/nuevo/", workspace.forum_create, name="forum_create"),
    path("espacio/foros/<int:pk>/", workspace.forum_detail, name="forum_detail"),
    path("espacio/foros/<int:pk>/importar/", workspace.contributions_import, name="contributions_import"),
    path("espacio/consultas/<int:pk>/respuestas/", workspace.answers, name="answers"),
    path("espacio/comentarios/<int:pk>/responder/", workspace.comment_answer, name="comment_answer"),
    path("espacio/aportaciones/<int:pk>/responder/", workspace.contribution_answer, name="contribution_answer"),
    path("espacio/consultas/<int:pk>/publicar-informe/", workspace.report_publish, name="report_publish"),
]
