"""URLs of the councils app: the public record of the bodies and their open data, and the workspace (bodies,
memberships, renewal, sessions, votes, minutes)."""

from django.urls import path

from councils.views import convocation, packets, public, workspace

app_name = "councils"

urlpatterns = [
    path("organos/", public.body_list, name="body_list"),
    path("organos/<slug:slug>/", public.body_detail, name="body_detail"),
    path("organos/<slug:slug>/sesiones/<int:number>/", public.session_detail, name="session_detail"),
    path("datos/consejos.popolo.json", public.popolo, name="popolo"),
    path("datos/sesiones.ics", public.sessions_ics, name="sessions_ics"),
    path("datos/organos.csv", public.bodies_csv, name="bodies_csv"),
    path("datos/integrantes.csv", public.members_csv, name="members_csv"),
    path("datos/acuerdos.csv", public.resolutions_csv, name="resolutions_csv"),
    path("espacio/organos/", workspace.body_list, name="workspace_bodies"),
    path("espacio/organos/<slug:slug>/", workspace.body_detail, name="workspace_body"),
    path("espacio/organos/<slug:slug>/integrantes/nuevo/", workspace.membership_add, name="membership_add"),
    path("espacio/organos/<slug:slug>/renovar/", workspace.body_renew, name="body_renew"),
    path("espacio/organos/<slug:slug>/reglas-de-votacion/", workspace.body_voting_rules, name="body_voting_rules"),
    path("espacio/organos/<slug:slug>/secretaria/", workspace.body_secretaries, name="body_secretaries"),
    path(
        "espacio/organos/<slug:slug>/secretaria/<int:user_id>/quitar/",
        workspace.body_secretary_revoke,
        name="body_secretary_revoke",
    ),
    path("espacio/organos/<slug:slug>/sesiones/convocar/", workspace.session_convene, name="session_convene"),
    path("espacio/membresias/<int:pk>/terminar/", workspace.membership_end, name="membership_end"),
    path("espacio/membresias/<int:pk>/cambiar/", workspace.membership_change, name="membership_change"),
    path("espacio/sesiones/<int:pk>/", workspace.session_detail, name="workspace_session"),
    path("espacio/sesiones/<int:pk>/asistencia/", workspace.session_attendance, name="session_attendance"),
    path("espacio/sesiones/<int:pk>/concluir/", workspace.session_close, name="session_close"),
    path("espacio/sesiones/<int:pk>/cancelar/", workspace.session_cancel, name="session_cancel"),
    path("espacio/sesiones/<int:pk>/agregar-asunto/", workspace.agenda_subject_add, name="agenda_subject_add"),
    path("espacio/sesiones/<int:pk>/acta/", workspace.minutes_save, name="minutes_save"),
    path("espacio/puntos/<int:pk>/abrir-votacion/", workspace.motion_open, name="motion_open"),
    path("espacio/votaciones/<int:pk>/votar/", workspace.vote_cast, name="vote_cast"),
    path("espacio/votaciones/<int:pk>/cerrar/", workspace.motion_close, name="motion_close"),
    path("espacio/votaciones/<int:pk>/conteo/", workspace.vote_count, name="vote_count"),
    path("espacio/actas/<int:pk>/publicar/", workspace.minutes_publish, name="minutes_publish"),
    # Convocation: answers from the e-mail (signed link, no account) or the portal, changes, notice periods.
    path("convocatoria/<str:token>/", convocation.rsvp, name="rsvp"),
    path("espacio/sesiones/<int:pk>/confirmar-asistencia/", convocation.session_reply, name="session_reply"),
    path("espacio/sesiones/<int:pk>/cambiar/", convocation.session_reschedule, name="session_reschedule"),
    path(
        "espacio/organos/<slug:slug>/plazos-de-convocatoria/",
        convocation.body_notice_periods,
        name="body_notice_periods",
    ),
    # Knowing what you vote on: the frozen version, documents of the points, the meeting packet.
    path("sesiones/documentos/<int:pk>/", packets.agenda_document, name="agenda_document"),
    path("espacio/puntos/<int:pk>/documentos/", packets.agenda_document_add, name="agenda_document_add"),
    path("espacio/documentos/<int:pk>/quitar/", packets.agenda_document_remove, name="agenda_document_remove"),
    path("espacio/puntos/<int:pk>/congelar/", packets.agenda_item_refreeze, name="agenda_item_refreeze"),
    path("espacio/sesiones/<int:pk>/paquete/", packets.session_packet, name="session_packet"),
    path("paquete/<int:pk>/", packets.packet_public, name="packet_public"),
    path("paquete/<int:pk>/pdf/", packets.packet_public_pdf, name="packet_public_pdf"),
]
