"""URLs of the consultations: public pages in Spanish (/consultas/…), open data (/datos/…), the workspace
(/espacio/consultas/…)."""

from django.urls import path

from consultations.views import follow, proposals, public, workspace

app_name = "consultations"

urlpatterns = [
    path("consultas/", public.consultation_list, name="list"),
    path("consultas/<slug:slug>/", public.consultation_detail, name="detail"),
    path("consultas/<slug:slug>/informe/", public.report_detail, name="report"),
    path("consultas/<slug:slug>/informe.csv", public.report_csv, name="report_csv"),
    path("consultas/<slug:slug>/informe.pdf", public.report_pdf_download, name="report_pdf"),
    path("datos/consultas.json", public.consultations_json, name="opendata_json"),
    path("datos/aportaciones-consultas.csv", public.contributions_csv, name="opendata_csv"),
    path("propuestas/", proposals.call_list, name="call_list"),
    path("propuestas/<slug:slug>/", proposals.call_detail, name="call_detail"),
    path("propuestas/<slug:slug>/mapa.geojson", proposals.call_geojson, name="call_geojson"),
    path("propuestas/<slug:slug>/<int:pk>/", proposals.proposal_detail, name="proposal_detail"),
    path("datos/propuestas-ciudadanas.json", proposals.proposals_json, name="proposals_json"),
    path("datos/propuestas-ciudadanas.csv", proposals.proposals_csv, name="proposals_csv"),
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
    path("espacio/convocatorias/", proposals.call_workspace_list, name="call_workspace_list"),
    path("espacio/convocatorias/nueva/", proposals.call_create, name="call_create"),
    path("espacio/convocatorias/<int:pk>/", proposals.call_workspace, name="call_workspace"),
    path("espacio/convocatorias/<int:pk>/editar/", proposals.call_edit, name="call_edit"),
    path("espacio/convocatorias/<int:pk>/abrir/", proposals.call_open, name="call_open"),
    path("espacio/convocatorias/<int:pk>/cerrar/", proposals.call_close, name="call_close"),
    path("espacio/propuestas/<int:pk>/moderar/", proposals.proposal_moderate, name="proposal_moderate"),
    path("espacio/propuestas/<int:pk>/estado/", proposals.proposal_step, name="proposal_step"),
    path("espacio/propuestas/<int:pk>/a-cartera/", proposals.proposal_to_project, name="proposal_to_project"),
]
