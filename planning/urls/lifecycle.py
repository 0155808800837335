"""The lifecycle of every approvable instrument (submit, withdraw, publish, new version) and the comparison of two
versions, ``<kind>`` as in ``planning.versions.KINDS`` (plan, presupuesto, informe…). Workspace only."""

from django.urls import path

from planning.views import lifecycle

urlpatterns = [
    path("espacio/instrumentos/<slug:kind>/<int:pk>/enviar/", lifecycle.instrument_submit, name="instrument_submit"),
    path(
        "espacio/instrumentos/<slug:kind>/<int:pk>/retirar/", lifecycle.instrument_withdraw, name="instrument_withdraw"
    ),
    path(
        "espacio/instrumentos/<slug:kind>/<int:pk>/publicar/", lifecycle.instrument_publish, name="instrument_publish"
    ),
    path(
        "espacio/instrumentos/<slug:kind>/<int:pk>/nueva-version/",
        lifecycle.instrument_new_version,
        name="instrument_new_version",
    ),
    path(
        "espacio/instrumentos/<slug:kind>/<int:pk>/comparar/", lifecycle.instrument_compare, name="instrument_compare"
    ),
]
