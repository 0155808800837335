"""The plan and its instruments: diagnosis, vision, vertientes, strategies, objectives, goals, programmes, the
government plan; versions and their differences. Public pages and workspace."""

from django.urls import path

from planning.views import plan_forms as forms
from planning.views import plan_lifecycle as lifecycle
from planning.views import plan_pages as pages
from planning.views import plan_public as public

public_urlpatterns = [
    path("plan/", public.plan, name="plan_public"),
    path("plan/estrategias/<slug:slug>/", public.strategy, name="strategy_public"),
    path("plan/diagnostico/", public.diagnosis, name="diagnosis_public"),
    path("programa-de-gobierno/", public.government_plan, name="government_plan_public_latest"),
    path("programa-de-gobierno/<str:term>/", public.government_plan, name="government_plan_public"),
]

workspace_urlpatterns = [
    path("espacio/plan/", pages.plan_workspace, name="plan_workspace"),
    path("espacio/plan/nuevo/", forms.PlanCreate.as_view(), name="plan_create"),
    path("espacio/plan/<int:pk>/", pages.plan_detail, name="plan_detail"),
    path("espacio/plan/<int:pk>/editar/", forms.PlanEdit.as_view(), name="plan_edit"),
    path("espacio/plan/<int:pk>/vision/", forms.VisionEdit.as_view(), name="vision_edit"),
    path("espacio/plan/<int:pk>/vertientes/nueva/", forms.VertienteCreate.as_view(), name="vertiente_create"),
    path("espacio/plan/<int:pk>/estrategias/nueva/", forms.StrategyCreate.as_view(), name="strategy_create"),
    path("espacio/vertientes/<int:pk>/editar/", forms.VertienteEdit.as_view(), name="vertiente_edit"),
    path("espacio/vertientes/<int:pk>/eliminar/", forms.VertienteDelete.as_view(), name="vertiente_delete"),
    path("espacio/estrategias/<int:pk>/", pages.strategy_detail, name="strategy_detail"),
    path("espacio/estrategias/<int:pk>/editar/", forms.StrategyEdit.as_view(), name="strategy_edit"),
    path("espacio/estrategias/<int:pk>/eliminar/", forms.StrategyDelete.as_view(), name="strategy_delete"),
    path("espacio/estrategias/<int:pk>/objetivos/nuevo/", forms.ObjectiveCreate.as_view(), name="objective_create"),
    path("espacio/objetivos/<int:pk>/editar/", forms.ObjectiveEdit.as_view(), name="objective_edit"),
    path("espacio/objetivos/<int:pk>/eliminar/", forms.ObjectiveDelete.as_view(), name="objective_delete"),
    path("espacio/objetivos/<int:pk>/metas/nueva/", forms.GoalCreate.as_view(), name="goal_create"),
    path("espacio/metas/<int:pk>/editar/", forms.GoalEdit.as_view(), name="goal_edit"),
    path("espacio/metas/<int:pk>/eliminar/", forms.GoalDelete.as_view(), name="goal_delete"),
    path("espacio/programas/nuevo/", forms.ProgrammeCreate.as_view(), name="programme_create"),
    path("espacio/programas/<int:pk>/", pages.programme_detail, name="programme_detail"),
    path("espacio/programas/<int:pk>/editar/", forms.ProgrammeEdit.as_view(), name="programme_edit"),
    path("espacio/programas/<int:pk>/eliminar/", forms.ProgrammeDelete.as_view(), name="programme_delete"),
    path("espacio/diagnosticos/nuevo/", forms.DiagnosisCreate.as_view(), name="diagnosis_create"),
    path("espacio/diagnosticos/<int:pk>/", pages.diagnosis_detail, name="diagnosis_detail"),
    path("espacio/diagnosticos/<int:pk>/editar/", forms.DiagnosisEdit.as_view(), name="diagnosis_edit"),
    path("espacio/diagnosticos/<int:pk>/secciones/nueva/", forms.SectionCreate.as_view(), name="section_create"),
    path("espacio/secciones/<int:pk>/editar/", forms.SectionEdit.as_view(), name="section_edit"),
    path("espacio/secciones/<int:pk>/eliminar/", forms.SectionDelete.as_view(), name="section_delete"),
    path("espacio/programas-de-gobierno/nuevo/", forms.GovernmentPlanCreate.as_view(), name="government_plan_create"),
    path("espacio/programas-de-gobierno/<int:pk>/", pages.government_plan_detail, name="government_plan_detail"),
    path("espacio/programas-de-gobierno/<int:pk>/editar/", forms.GovernmentPlanEdit.as_view(),
         name="government_plan_edit"),
]

# Lifecycle of every approvable instrument, <kind> as in planning.versions.KINDS (plan, presupuesto, informe…).
lifecycle_urlpatterns = [
    path("espacio/instrumentos/<slug:kind>/<int:pk>/enviar/", lifecycle.instrument_submit, name="instrument_submit"),
    path("espacio/instrumentos/<slug:kind>/<int:pk>/retirar/", lifecycle.instrument_withdraw,
         name="instrument_withdraw"),
    path("espacio/instrumentos/<slug:kind>/<int:pk>/publicar/", lifecycle.instrument_publish,
         name="instrument_publish"),
    path("espacio/instrumentos/<slug:kind>/<int:pk>/nueva-version/", lifecycle.instrument_new_version,
         name="instrument_new_version"),
    path("espacio/instrumentos/<slug:kind>/<int:pk>/comparar/", lifecycle.instrument_compare,
         name="instrument_compare"),
]

urlpatterns = public_urlpatterns + workspace_urlpatterns + lifecycle_urlpatterns
