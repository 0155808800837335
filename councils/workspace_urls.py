"""The councils' workspace (logged in): bodies, memberships, renewal, sessions, votes, minutes."""

from django.urls import path

from councils.views import workspace as views

urlpatterns = [
    path("espacio/organos/", views.body_list, name="workspace_bodies"),
    path("espacio/organos/<slug:slug>/", views.body_detail, name="workspace_body"),
    path("espacio/organos/<slug:slug>/integrantes/nuevo/", views.membership_add, name="membership_add"),
    path("espacio/organos/<slug:slug>/renovar/", views.body_renew, name="body_renew"),
    path("espacio/organos/<slug:slug>/reglas-de-votacion/", views.body_voting_rules, name="body_voting_rules"),
    path("espacio/organos/<slug:slug>/sesiones/convocar/", views.session_convene, name="session_convene"),
    path("espacio/membresias/<int:pk>/terminar/", views.membership_end, name="membership_end"),
    path("espacio/membresias/<int:pk>/cambiar/", views.membership_change, name="membership_change"),
    path("espacio/sesiones/<int:pk>/", views.session_detail, name="workspace_session"),
    path("espacio/sesiones/<int:pk>/asistencia/", views.session_attendance, name="session_attendance"),
    path("espacio/sesiones/<int:pk>/concluir/", views.session_close, name="session_close"),
    path("espacio/sesiones/<int:pk>/acta/", views.minutes_save, name="minutes_save"),
    path("espacio/puntos/<int:pk>/abrir-votacion/", views.motion_open, name="motion_open"),
    path("espacio/votaciones/<int:pk>/votar/", views.vote_cast, name="vote_cast"),
    path("espacio/votaciones/<int:pk>/cerrar/", views.motion_close, name="motion_close"),
    path("espacio/actas/<int:pk>/publicar/", views.minutes_publish, name="minutes_publish"),
]
