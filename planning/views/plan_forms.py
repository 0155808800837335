"""The plan's edit forms in the workspace: thin views that load the object, check who may see and change it,
validate the form, call one service and redirect — or show the form again with the refusal, keeping the input.

A concurrency conflict shows what someone else changed (field: before → now) above the person's own input, with a
fresh token so that sending the form again is a deliberate overwrite.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db import models
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from implan.actions import refusal_as_message
from implan.concurrency import EditConflict
from implan.errors import DomainError
from implan.models import Approvable
from implan.params import is_number
from implan.permissions import hide_unless, is_planner, require_planner
from planning.forms import plan as plan_forms
from planning.models import (
    Diagnosis,
    DiagnosisSection,
    Goal,
    GovernmentPlan,
    Objective,
    Programme,
    StrategicPlan,
    Strategy,
    Vertiente,
    Vision,
)
from planning.permissions import view_programme, view_strategy
from planning.selectors.plan import government_plan_programme_choices, working_strategies
from planning.services import plan as plan_services
from planning.services.editing import require_draft


class PartFormView(LoginRequiredMixin, View):
    """GET shows the form; POST validates it and calls ``save``. Subclasses say what, who and where."""

    form_class: type[plan_forms.PlanPartForm]
    template_name = "planning/workspace/plan_form.html"
    title = ""
    success_message = gettext_lazy("Se guardaron los cambios.")

    def load(self, **kwargs: Any) -> None:
        """Load the objects of the URL and check access (404 / 403). Sets ``self.instance`` when editing."""
        raise NotImplementedError

    def owner(self) -> Approvable | None:
        """The instrument whose draft this form changes (edits of frozen versions are turned away)."""
        return None

    def form_kwargs(self) -> dict[str, Any]:
        return {}

    def save(self, form: plan_forms.PlanPartForm) -> models.Model:
        raise NotImplementedError

    def success_url(self, obj: models.Model) -> str:
        raise NotImplementedError

    def cancel_url(self) -> str:
        raise NotImplementedError

    instance: models.Model | None = None

    def make_form(self, data: Any = None) -> plan_forms.PlanPartForm:
        return self.form_class(data, instance=self.instance, **self.form_kwargs())

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        self.load(**kwargs)
        owner = self.owner()
        if owner is not None:
            try:
                require_draft(owner)
            except DomainError as error:  # a frozen version: say why and go back to it
                messages.error(request, error.message)
                return redirect(self.cancel_url())
        return super().dispatch(request, *args, **kwargs)

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        return self.render(self.make_form())

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        form = self.make_form(request.POST)
        conflict = None
        if form.is_valid():
            try:
                obj = self.save(form)
            except EditConflict as error:
                conflict = error
                data = request.POST.copy()
                data["opened"] = error.token
                form = self.make_form(data)
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(self.request, self.success_message)
                return redirect(self.success_url(obj))
        return self.render(form, conflict=conflict)

    def render(self, form: plan_forms.PlanPartForm, **extra: Any) -> HttpResponse:
        return render(
            self.request,
            self.template_name,
            {"form": form, "title": self.get_title(), "cancel_url": self.cancel_url(), "view": self, **extra},
        )

    def get_title(self) -> str:
        return self.title


# --- The strategic plan ---------------------------------------------------------------------------------------


def plan_url(plan: StrategicPlan) -> str:
    return reverse("planning:plan_detail", args=[plan.pk])


class PlanCreate(PartFormView):
    form_class = plan_forms.StrategicPlanForm
    title = gettext_lazy("Nuevo plan estratégico")
    success_message = gettext_lazy("Se creó el plan en borrador.")

    def load(self) -> None:
        hide_unless(is_planner(self.request.user))

    def save(self, form: plan_forms.PlanPartForm) -> StrategicPlan:
        return plan_services.plan_create(actor=self.request.user, values=form.values())

    def success_url(self, obj: StrategicPlan) -> str:
        return plan_url(obj)

    def cancel_url(self) -> str:
        return reverse("planning:plan_workspace")


class PlanChildView(PartFormView):
    """Forms that hang from a plan version (its own text, vision, vertientes, strategies)."""

    plan: StrategicPlan

    def owner(self) -> StrategicPlan:
        return self.plan

    def success_url(self, obj: models.Model) -> str:
        return plan_url(self.plan)

    def cancel_url(self) -> str:
        return plan_url(self.plan)


class PlanEdit(PlanChildView):
    form_class = plan_forms.StrategicPlanForm
    title = gettext_lazy("Editar el plan")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.plan = self.instance = get_object_or_404(StrategicPlan, pk=pk)

    def save(self, form: plan_forms.PlanPartForm) -> StrategicPlan:
        return plan_services.plan_update(
            actor=self.request.user, plan=self.plan, values=form.values(), seen=form.seen()
        )


class VisionEdit(PlanChildView):
    form_class = plan_forms.VisionForm
    title = gettext_lazy("Visión del plan")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.plan = get_object_or_404(StrategicPlan, pk=pk)
        self.instance = Vision.objects.filter(plan=self.plan).first()

    def save(self, form: plan_forms.PlanPartForm) -> Vision:
        # Opened before any vision existed: what the person saw was an empty vision, so a vision written by someone
        # else meanwhile is a conflict, not something to overwrite silently.
        seen = form.seen()
        return plan_services.vision_save(
            actor=self.request.user, plan=self.plan, values=form.values(), seen={} if seen is None else seen
        )


class VertienteCreate(PlanChildView):
    form_class = plan_forms.VertienteForm
    title = gettext_lazy("Nueva vertiente")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.plan = get_object_or_404(StrategicPlan, pk=pk)

    def save(self, form: plan_forms.PlanPartForm) -> Vertiente:
        return plan_services.vertiente_create(actor=self.request.user, plan=self.plan, values=form.values())


class VertienteEdit(PlanChildView):
    form_class = plan_forms.VertienteForm
    title = gettext_lazy("Editar la vertiente")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.instance = get_object_or_404(Vertiente.objects.select_related("plan"), pk=pk)
        self.plan = self.instance.plan

    def save(self, form: plan_forms.PlanPartForm) -> Vertiente:
        return plan_services.vertiente_update(
            actor=self.request.user, vertiente=self.instance, values=form.values(), seen=form.seen()
        )


class StrategyCreate(PlanChildView):
    form_class = plan_forms.StrategyForm
    title = gettext_lazy("Nueva estrategia")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.plan = get_object_or_404(StrategicPlan, pk=pk)
        last = self.plan.strategies.order_by("-number").first()
        self.instance = Strategy(plan=self.plan, number=(last.number + 1) if last else 1)

    def form_kwargs(self) -> dict[str, Any]:
        return {"plan": self.plan}

    def save(self, form: plan_forms.PlanPartForm) -> Strategy:
        return plan_services.strategy_create(actor=self.request.user, plan=self.plan, values=form.values())

    def success_url(self, obj: Strategy) -> str:
        return strategy_url(obj)


def strategy_url(strategy: Strategy) -> str:
    return reverse("planning:strategy_detail", args=[strategy.pk])


class StrategyEdit(PlanChildView):
    form_class = plan_forms.StrategyForm
    title = gettext_lazy("Editar la estrategia")

    def load(self, pk: int) -> None:
        self.instance = get_object_or_404(Strategy.objects.select_related("plan"), pk=pk)
        view_strategy(self.request.user, self.instance)
        require_planner(self.request.user)  # its commission sees it but edits only objectives and programmes
        self.plan = self.instance.plan

    def form_kwargs(self) -> dict[str, Any]:
        return {"plan": self.plan}

    def save(self, form: plan_forms.PlanPartForm) -> Strategy:
        return plan_services.strategy_update(
            actor=self.request.user, strategy=self.instance, values=form.values(), seen=form.seen()
        )

    def success_url(self, obj: Strategy) -> str:
        return strategy_url(obj)

    def cancel_url(self) -> str:
        return strategy_url(self.instance)


# --- Objectives and goals: a strategy's commission edits objectives; goals are the planners' -------------------


class StrategyChildView(PartFormView):
    strategy: Strategy

    def owner(self) -> StrategicPlan:
        return self.strategy.plan

    def success_url(self, obj: models.Model) -> str:
        return strategy_url(self.strategy)

    def cancel_url(self) -> str:
        return strategy_url(self.strategy)

    def see_and_edit_content(self) -> None:
        view_strategy(self.request.user, self.strategy)


class ObjectiveCreate(StrategyChildView):
    form_class = plan_forms.ObjectiveForm
    title = gettext_lazy("Nuevo objetivo")

    def load(self, pk: int) -> None:
        self.strategy = get_object_or_404(Strategy.objects.select_related("plan"), pk=pk)
        self.see_and_edit_content()
        last = self.strategy.objectives.order_by("-number").first()
        self.instance = Objective(strategy=self.strategy, number=(last.number + 1) if last else 1)

    def form_kwargs(self) -> dict[str, Any]:
        return {"strategy": self.strategy}

    def save(self, form: plan_forms.PlanPartForm) -> Objective:
        return plan_services.objective_create(actor=self.request.user, strategy=self.strategy, values=form.values())


class ObjectiveEdit(StrategyChildView):
    form_class = plan_forms.ObjectiveForm
    title = gettext_lazy("Editar el objetivo")

    def load(self, pk: int) -> None:
        self.instance = get_object_or_404(Objective.objects.select_related("strategy__plan"), pk=pk)
        self.strategy = self.instance.strategy
        self.see_and_edit_content()

    def form_kwargs(self) -> dict[str, Any]:
        return {"strategy": self.strategy}

    def save(self, form: plan_forms.PlanPartForm) -> Objective:
        return plan_services.objective_update(
            actor=self.request.user, objective=self.instance, values=form.values(), seen=form.seen()
        )


class GoalCreate(StrategyChildView):
    form_class = plan_forms.GoalForm
    title = gettext_lazy("Nueva meta")

    def load(self, pk: int) -> None:
        self.objective = get_object_or_404(Objective.objects.select_related("strategy__plan"), pk=pk)
        self.strategy = self.objective.strategy
        self.see_and_edit_content()
        require_planner(self.request.user)
        self.instance = Goal(objective=self.objective)

    def save(self, form: plan_forms.PlanPartForm) -> Goal:
        return plan_services.goal_create(actor=self.request.user, objective=self.objective, values=form.values())


class GoalEdit(StrategyChildView):
    form_class = plan_forms.GoalForm
    title = gettext_lazy("Editar la meta")

    def load(self, pk: int) -> None:
        self.instance = get_object_or_404(Goal.objects.select_related("objective__strategy__plan"), pk=pk)
        self.strategy = self.instance.objective.strategy
        self.see_and_edit_content()
        require_planner(self.request.user)

    def save(self, form: plan_forms.PlanPartForm) -> Goal:
        return plan_services.goal_update(
            actor=self.request.user, goal=self.instance, values=form.values(), seen=form.seen()
        )


# --- Programmes ---------------------------------------------------------------------------------------------


def programme_url(programme: Programme) -> str:
    return reverse("planning:programme_detail", args=[programme.pk])


class ProgrammeFormView(PartFormView):
    form_class = plan_forms.ProgrammeForm

    def form_kwargs(self) -> dict[str, Any]:
        return {"strategies": working_strategies(self.request.user), "planner": is_planner(self.request.user)}

    def success_url(self, obj: Programme) -> str:
        return programme_url(obj)


class ProgrammeCreate(ProgrammeFormView):
    title = gettext_lazy("Nuevo programa")
    success_message = gettext_lazy("Se creó el programa en borrador.")

    def load(self) -> None:
        if not working_strategies(self.request.user).exists():
            hide_unless(is_planner(self.request.user))  # neither planner nor commission member: nothing to see
        chosen = self.request.GET.get("estrategia", "")
        strategy = working_strategies(self.request.user).filter(pk=chosen).first() if is_number(chosen) else None
        self.instance = Programme(strategy=strategy)

    def save(self, form: plan_forms.PlanPartForm) -> Programme:
        return plan_services.programme_create(actor=self.request.user, values=form.values())

    def cancel_url(self) -> str:
        return reverse("planning:plan_workspace")


class ProgrammeEdit(ProgrammeFormView):
    title = gettext_lazy("Editar el programa")

    def load(self, pk: int) -> None:
        self.instance = get_object_or_404(Programme.objects.select_related("strategy"), pk=pk)
        view_programme(self.request.user, self.instance)

    def owner(self) -> Programme:
        return self.instance

    def save(self, form: plan_forms.PlanPartForm) -> Programme:
        return plan_services.programme_update(
            actor=self.request.user, programme=self.instance, values=form.values(), seen=form.seen()
        )

    def cancel_url(self) -> str:
        return programme_url(self.instance)


# --- The diagnosis ------------------------------------------------------------------------------------------


def diagnosis_url(diagnosis: Diagnosis) -> str:
    return reverse("planning:diagnosis_detail", args=[diagnosis.pk])


class DiagnosisCreate(PartFormView):
    form_class = plan_forms.DiagnosisCreateForm
    title = gettext_lazy("Nuevo diagnóstico")
    success_message = gettext_lazy("Se creó el diagnóstico en borrador.")

    def load(self) -> None:
        hide_unless(is_planner(self.request.user))

    def save(self, form: plan_forms.PlanPartForm) -> Diagnosis:
        values = form.values()
        return plan_services.diagnosis_create(actor=self.request.user, plan=values.pop("plan"), values=values)

    def success_url(self, obj: Diagnosis) -> str:
        return diagnosis_url(obj)

    def cancel_url(self) -> str:
        return reverse("planning:plan_workspace")


class DiagnosisChildView(PartFormView):
    diagnosis: Diagnosis

    def owner(self) -> Diagnosis:
        return self.diagnosis

    def success_url(self, obj: models.Model) -> str:
        return diagnosis_url(self.diagnosis)

    def cancel_url(self) -> str:
        return diagnosis_url(self.diagnosis)


class DiagnosisEdit(DiagnosisChildView):
    form_class = plan_forms.DiagnosisForm
    title = gettext_lazy("Editar el diagnóstico")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.diagnosis = self.instance = get_object_or_404(Diagnosis, pk=pk)

    def save(self, form: plan_forms.PlanPartForm) -> Diagnosis:
        return plan_services.diagnosis_update(
            actor=self.request.user, diagnosis=self.diagnosis, values=form.values(), seen=form.seen()
        )


class SectionCreate(DiagnosisChildView):
    form_class = plan_forms.DiagnosisSectionForm
    title = gettext_lazy("Nueva sección del diagnóstico")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.diagnosis = get_object_or_404(Diagnosis, pk=pk)

    def save(self, form: plan_forms.PlanPartForm) -> DiagnosisSection:
        return plan_services.section_create(actor=self.request.user, diagnosis=self.diagnosis, values=form.values())


class SectionEdit(DiagnosisChildView):
    form_class = plan_forms.DiagnosisSectionForm
    title = gettext_lazy("Editar la sección")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.instance = get_object_or_404(DiagnosisSection.objects.select_related("diagnosis"), pk=pk)
        self.diagnosis = self.instance.diagnosis

    def save(self, form: plan_forms.PlanPartForm) -> DiagnosisSection:
        return plan_services.section_update(
            actor=self.request.user, section=self.instance, values=form.values(), seen=form.seen()
        )


# --- The government plan --------------------------------------------------------------------------------------


def government_plan_url(plan: GovernmentPlan) -> str:
    return reverse("planning:government_plan_detail", args=[plan.pk])


class GovernmentPlanCreate(PartFormView):
    form_class = plan_forms.GovernmentPlanCreateForm
    title = gettext_lazy("Nuevo programa de gobierno")
    success_message = gettext_lazy("Se creó el programa de gobierno en borrador.")

    def load(self) -> None:
        hide_unless(is_planner(self.request.user))

    def form_kwargs(self) -> dict[str, Any]:
        return {"programmes": government_plan_programme_choices()}

    def save(self, form: plan_forms.PlanPartForm) -> GovernmentPlan:
        return plan_services.government_plan_create(actor=self.request.user, values=form.values())

    def success_url(self, obj: GovernmentPlan) -> str:
        return government_plan_url(obj)

    def cancel_url(self) -> str:
        return reverse("planning:plan_workspace")


class GovernmentPlanEdit(PartFormView):
    form_class = plan_forms.GovernmentPlanForm
    title = gettext_lazy("Editar el programa de gobierno")

    def load(self, pk: int) -> None:
        hide_unless(is_planner(self.request.user))
        self.instance = get_object_or_404(GovernmentPlan, pk=pk)

    def owner(self) -> GovernmentPlan:
        return self.instance

    def form_kwargs(self) -> dict[str, Any]:
        return {"programmes": government_plan_programme_choices(self.instance)}

    def save(self, form: plan_forms.PlanPartForm) -> GovernmentPlan:
        return plan_services.government_plan_update(
            actor=self.request.user, plan=self.instance, values=form.values(), seen=form.seen()
        )

    def success_url(self, obj: GovernmentPlan) -> str:
        return government_plan_url(obj)

    def cancel_url(self) -> str:
        return government_plan_url(self.instance)


# --- Deleting a part of a draft -------------------------------------------------------------------------------


class PartDelete(LoginRequiredMixin, View):
    """GET asks for confirmation; POST deletes through the service. Only parts of a draft."""

    template_name = "planning/workspace/plan_confirm_delete.html"
    model: type[models.Model]

    def load(self, pk: int) -> models.Model:
        raise NotImplementedError

    def delete(self, obj: models.Model) -> None:
        raise NotImplementedError

    def back_url(self, obj: models.Model) -> str:
        raise NotImplementedError

    def done_url(self, obj: models.Model) -> str:
        """Where to go once ``obj`` is gone."""
        return self.back_url(obj)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.load(pk)
        return render(
            request,
            self.template_name,
            {"object": obj, "cancel_url": self.back_url(obj), "what": obj._meta.verbose_name},
        )

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        obj = self.load(pk)
        with refusal_as_message(request):
            self.delete(obj)
            messages.success(request, _("Se eliminó «%(o)s».") % {"o": obj})
            return redirect(self.done_url(obj))
        return redirect(self.back_url(obj))  # refused: back to the object


class VertienteDelete(PartDelete):
    def load(self, pk: int) -> Vertiente:
        hide_unless(is_planner(self.request.user))
        return get_object_or_404(Vertiente.objects.select_related("plan"), pk=pk)

    def delete(self, obj: Vertiente) -> None:
        plan_services.vertiente_delete(actor=self.request.user, vertiente=obj)

    def back_url(self, obj: Vertiente) -> str:
        return plan_url(obj.plan)


class StrategyDelete(PartDelete):
    def load(self, pk: int) -> Strategy:
        strategy = get_object_or_404(Strategy.objects.select_related("plan"), pk=pk)
        view_strategy(self.request.user, strategy)
        require_planner(self.request.user)
        return strategy

    def delete(self, obj: Strategy) -> None:
        plan_services.strategy_delete(actor=self.request.user, strategy=obj)

    def back_url(self, obj: Strategy) -> str:
        return plan_url(obj.plan)


class ObjectiveDelete(PartDelete):
    def load(self, pk: int) -> Objective:
        objective = get_object_or_404(Objective.objects.select_related("strategy__plan"), pk=pk)
        view_strategy(self.request.user, objective.strategy)
        return objective

    def delete(self, obj: Objective) -> None:
        plan_services.objective_delete(actor=self.request.user, objective=obj)

    def back_url(self, obj: Objective) -> str:
        return strategy_url(obj.strategy)


class GoalDelete(PartDelete):
    def load(self, pk: int) -> Goal:
        goal = get_object_or_404(Goal.objects.select_related("objective__strategy__plan"), pk=pk)
        view_strategy(self.request.user, goal.objective.strategy)
        require_planner(self.request.user)
        return goal

    def delete(self, obj: Goal) -> None:
        plan_services.goal_delete(actor=self.request.user, goal=obj)

    def back_url(self, obj: Goal) -> str:
        return strategy_url(obj.objective.strategy)


class ProgrammeDelete(PartDelete):
    def load(self, pk: int) -> Programme:
        programme = get_object_or_404(Programme.objects.select_related("strategy"), pk=pk)
        view_programme(self.request.user, programme)
        return programme

    def delete(self, obj: Programme) -> None:
        plan_services.programme_delete(actor=self.request.user, programme=obj)

    def back_url(self, obj: Programme) -> str:
        return programme_url(obj)

    def done_url(self, obj: Programme) -> str:
        return reverse("planning:plan_workspace")


class SectionDelete(PartDelete):
    def load(self, pk: int) -> DiagnosisSection:
        hide_unless(is_planner(self.request.user))
        return get_object_or_404(DiagnosisSection.objects.select_related("diagnosis"), pk=pk)

    def delete(self, obj: DiagnosisSection) -> None:
        plan_services.section_delete(actor=self.request.user, section=obj)

    def back_url(self, obj: DiagnosisSection) -> str:
        return diagnosis_url(obj.diagnosis)
