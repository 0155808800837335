from django.urls import path

from implan import views

app_name = "implan"

urlpatterns = [
    path("", views.home, name="home"),
    path("espacio/", views.workspace, name="workspace"),
]
