"""Forms of the annual report: the report and its narrative sections. They validate input; the services decide
and write."""

from __future__ import annotations

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from implan.concurrency import OpenedMixin
from implan.limits import text_limit
from implan.models import FiscalYear
from planning.models import AnnualReport, ReportSection, Strategy
from planning.services import report as report_services


class AnnualReportCreateForm(forms.Form):
    fiscal_year = forms.ModelChoiceField(FiscalYear.objects.order_by("-year"), label=_("Ejercicio fiscal"))
    title = forms.CharField(label=_("Título"), max_length=250, help_text=_("Por ejemplo: Informe anual 2026."))


class AnnualReportEditForm(OpenedMixin):
    title = forms.CharField(label=_("Título"), max_length=250)

    @classmethod
    def for_report(cls, report: AnnualReport, data: object = None) -> AnnualReportEditForm:
        form = cls(data, initial={"title": report.title})
        form.remember(report, report_services.REPORT_FIELDS)
        return form


class ReportSectionForm(OpenedMixin):
    order = forms.IntegerField(
        label=_("Orden"),
        min_value=1,
        max_value=999,
        help_text=_(
            "Las secciones de una estrategia van dentro de su capítulo; las generales "
            "con orden menor que 100 van antes de los capítulos (presentación) y las "
            "de 100 en adelante, al final (conclusiones)."
        ),
    )
    title = forms.CharField(label=_("Título"), max_length=250)
    strategy = forms.ModelChoiceField(
        Strategy.objects.none(),
        label=_("Estrategia"),
        required=False,
        help_text=_("Déjela vacía para una sección general (presentación, conclusiones)."),
    )
    body = forms.CharField(
        label=_("Texto"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 12}),
        max_length=text_limit(ReportSection, "body"),
        help_text=_("Texto con formato (Markdown): **negritas**, listas con guiones, ## subtítulos."),
    )

    def __init__(self, *args: object, strategies: QuerySet | None = None, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        if strategies is not None:
            self.fields["strategy"].queryset = strategies

    @classmethod
    def for_section(cls, section: ReportSection, data: object = None, **kwargs: object) -> ReportSectionForm:
        form = cls(
            data,
            initial={
                "order": section.order,
                "title": section.title,
                "strategy": section.strategy,
                "body": section.body,
            },
            **kwargs,
        )
        form.remember(section, report_services.SECTION_FIELDS)
        return form

    def section_data(self) -> report_services.SectionData:
        data = self.cleaned_data
        return report_services.SectionData(
            order=data["order"], title=data["title"], body=data["body"], strategy=data["strategy"]
        )
