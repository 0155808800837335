"""Public pages of the bodies and their open data."""

from django.urls import path

from councils.views import public

urlpatterns = [
    path("organos/", public.body_list, name="body_list"),
    path("organos/<slug:slug>/", public.body_detail, name="body_detail"),
    path("organos/<slug:slug>/sesiones/<int:number>/", public.session_detail, name="session_detail"),
    path("datos/consejos.popolo.json", public.popolo, name="popolo"),
    path("datos/sesiones.ics", public.sessions_ics, name="sessions_ics"),
    path("datos/organos.csv", public.bodies_csv, name="bodies_csv"),
    path("datos/integrantes.csv", public.members_csv, name="members_csv"),
    path("datos/acuerdos.csv", public.resolutions_csv, name="resolutions_csv"),
]
