"""Transparency obligations: public pages and PNT files, and the planner's due list in the workspace."""

from django.urls import path

from implan.portal.transparency import views

app_name = "transparency"

urlpatterns = [
    path("transparencia/", views.transparency_index, name="index"),
    path("transparencia/<slug:slug>/", views.obligation_detail, name="obligation"),
    path("transparencia/<slug:slug>/formato-pnt.xlsx", views.obligation_xlsx, name="obligation_xlsx"),
    path("espacio/transparencia/", views.transparency_due, name="due"),
]
