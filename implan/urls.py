"""The one place that composes every app's URLs, the site layer's (``implan.portal``) among them."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

urlpatterns = [
    path("", include("implan.portal.urls")),
    path("", include("councils.urls")),
    path("", include("planning.urls")),
    path("", include("projects.urls")),
    path("", include("indicators.urls")),
    path("", include("consultations.urls")),
    path("", include("implan.portal.transparency.urls")),
    path("cuenta/entrar/", auth_views.LoginView.as_view(), name="login"),
    path("cuenta/salir/", auth_views.LogoutView.as_view(), name="logout"),
    path("admin/", admin.site.urls),
]
