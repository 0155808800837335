"""The plan and its instruments: diagnosis, vision, vertientes, strategies, objectives, goals, programmes, the
government plan. Public pages and workspace."""

from django.urls import path

from planning.views import plan, plan_forms

public_urlpatterns = [
    path("plan/", plan.plan_public, name="plan_public"),
    path("plan/estrategias/<slug:slug>/", plan.strategy_public, name="strategy_public"),
    path("plan/diagnostico/", plan.diagnosis_public, name="diagnosis_public"),
    path("programa-de-gobierno/", plan.government_plan_public, name="government_plan_public_latest"),
    path("programa-de-gobierno/<str:term>/", plan.government_plan_public, name="government_plan_public"),
]

workspace_urlpatterns = [
    path("espacio/plan/", plan.plan_workspace, name="plan_workspace"),
    path("espacio/plan/nuevo/", plan_forms.PlanCreate.as_view(), name="plan_create"),
    path("espacio/plan/<int:pk>/", plan.plan_detail, name="plan_detail"),
    path("espacio/plan/<int:pk>/editar/", plan_forms.PlanEdit.as_view(), name="plan_edit"),
    path("espacio/plan/<int:pk>/vision/", plan_forms.VisionEdit.as_view(), name="vision_edit"),
    path("espacio/plan/<int:pk>/vertientes/nueva/", plan_forms.VertienteCreate.as_view(), name="vertiente_create"),
    path("espacio/plan/<int:pk>/estrategias/nueva/", plan_forms.StrategyCreate.as_view(), name="strategy_create"),
    path("espacio/vertientes/<int:pk>/editar/", plan_forms.VertienteEdit.as_view(), name="vertiente_edit"),
    path("espacio/vertientes/<int:pk>/eliminar/", plan_forms.VertienteDelete.as_view(), name="vertiente_delete"),
    path("espacio/estrategias/<int:pk>/", plan.strategy_detail, name="strategy_detail"),
    path("espacio/estrategias/<int:pk>/editar/", plan_forms.StrategyEdit.as_view(), name="strategy_edit"),
    path("espacio/estrategias/<int:pk>/eliminar/", plan_forms.StrategyDelete.as_view(), name="strategy_delete"),
    path(
        "espacio/estrategias/<int:pk>/objetivos/nuevo/", plan_forms.ObjectiveCreate.as_view(), name="objective_create"
    ),
    path("espacio/objetivos/<int:pk>/editar/", plan_forms.ObjectiveEdit.as_view(), name="objective_edit"),
    path("espacio/objetivos/<int:pk>/eliminar/", plan_forms.ObjectiveDelete.as_view(), name="objective_delete"),
    path("espacio/objetivos/<int:pk>/metas/nueva/", plan_forms.GoalCreate.as_view(), name="goal_create"),
    path("espacio/metas/<int:pk>/editar/", plan_forms.GoalEdit.as_view(), name="goal_edit"),
    path("espacio/metas/<int:pk>/eliminar/", plan_forms.GoalDelete.as_view(), name="goal_delete"),
    path("espacio/programas/nuevo/", plan_forms.ProgrammeCreate.as_view(), name="programme_create"),
    path("espacio/programas/<int:pk>/", plan.programme_detail, name="programme_detail"),
    path("espacio/programas/<int:pk>/editar/", plan_forms.ProgrammeEdit.as_view(), name="programme_edit"),
    path("espacio/programas/<int:pk>/eliminar/", plan_forms.ProgrammeDelete.as_view(), name="programme_delete"),
    path("espacio/diagnosticos/nuevo/", plan_forms.DiagnosisCreate.as_view(), name="diagnosis_create"),
    path("espacio/diagnosticos/<int:pk>/", plan.diagnosis_detail, name="diagnosis_detail"),
    path("espacio/diagnosticos/<int:pk>/editar/", plan_forms.DiagnosisEdit.as_view(), name="diagnosis_edit"),
    path("espacio/diagnosticos/<int:pk>/secciones/nueva/", plan_forms.SectionCreate.as_view(), name="section_create"),
    path("espacio/secciones/<int:pk>/editar/", plan_forms.SectionEdit.as_view(), name="section_edit"),
    path("espacio/secciones/<int:pk>/eliminar/", plan_forms.SectionDelete.as_view(), name="section_delete"),
    path(
        "espacio/programas-de-gobierno/nuevo/", plan_forms.GovernmentPlanCreate.as_view(), name="government_plan_create"
    ),
    path("espacio/programas-de-gobierno/<int:pk>/", plan.government_plan_detail, name="government_plan_detail"),
    path(
        "espacio/programas-de-gobierno/<int:pk>/editar/",
        plan_forms.GovernmentPlanEdit.as_view(),
        name="government_plan_edit",
    ),
]

urlpatterns = public_urlpatterns + workspace_urlpatterns
