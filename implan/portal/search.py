"""Search across what the portal publishes: plans, strategies, programmes, projects, indicators, resolutions, minutes.

On PostgreSQL: full-text search with the ``spanish_unaccent`` configuration (Spanish stemming on unaccented words,
created by migration ``implan/0003``), so "educacion" finds "Educación para la Vida" and "proyectos" finds
"proyecto". On SQLite (the try-it-at-once default) a simpler fallback compares accent-free words in Python.

Like ``implan/portal/selectors.py`` this module composes every app (it is part of the site layer); only published
content is searched.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection, models
from django.db.models.expressions import CombinedExpression
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from councils.models import Minutes, MinutesState, Resolution
from implan.models import LifecycleState
from indicators.models import Indicator
from planning.models import Programme, StrategicPlan, Strategy
from projects.models import Project

CONFIG = "spanish_unaccent"
GROUP_SIZE = 5
MIN_LENGTH = 2


@dataclass(frozen=True)
class Kind:
    """One type of published content: where it lives, which fields are searched (the first weighs most), its link."""

    key: str
    label: Any
    queryset: Callable[[], models.QuerySet]
    fields: tuple[str, ...]
    title: Callable[[Any], str]
    url: Callable[[Any], str]
    summary: Callable[[Any], str]


def _session_url(session: Any) -> str:
    return reverse("councils:session_detail", args=[session.body.slug, session.number])


KINDS: list[Kind] = [
    Kind(
        "planes",
        _("Planes"),
        lambda: StrategicPlan.objects.published(),
        ("title", "summary"),
        title=lambda p: p.title,
        url=lambda p: reverse("planning:plan_public"),
        summary=lambda p: p.summary,
    ),
    Kind(
        "estrategias",
        _("Estrategias"),
        lambda: Strategy.objects.of_published_plans().select_related("plan"),
        ("name", "description"),
        title=lambda s: f"{s.number}. {s.name}",
        url=lambda s: reverse("planning:strategy_public", args=[s.slug]),
        summary=lambda s: s.description,
    ),
    Kind(
        "programas",
        _("Programas"),
        lambda: (
            Programme.objects.published()
            .filter(strategy__plan__state=LifecycleState.PUBLISHED)
            .select_related("strategy")
        ),
        ("name", "code", "description"),
        title=lambda p: f"{p.code} · {p.name}",
        url=lambda p: reverse("planning:strategy_public", args=[p.strategy.slug]) + f"#programa-{p.code}",
        summary=lambda p: p.description,
    ),
    Kind(
        "proyectos",
        _("Proyectos"),
        lambda: Project.objects.public().select_related("territory"),
        ("title", "problem", "description", "code"),
        title=lambda p: p.title,
        url=lambda p: reverse("projects:project_detail", args=[p.slug]),
        summary=lambda p: f"{p.territory} · {p.problem}",
    ),
    Kind(
        "indicadores",
        _("Indicadores"),
        lambda: Indicator.objects.published(),
        ("name", "definition", "theme", "code", "source"),
        title=lambda i: f"{i.code} · {i.name}",
        url=lambda i: reverse("indicators:indicator_detail", args=[i.slug]),
        summary=lambda i: i.definition,
    ),
    Kind(
        "acuerdos",
        _("Acuerdos"),
        lambda: Resolution.objects.select_related("body", "session"),
        ("text",),
        title=lambda r: f"{r.body} · {_('Acuerdo')} {r.number}/{r.year}",
        url=lambda r: _session_url(r.session),
        summary=lambda r: r.text,
    ),
    Kind(
        "actas",
        _("Actas"),
        lambda: Minutes.objects.filter(state=MinutesState.PUBLISHED).select_related("session__body"),
        ("text",),
        title=lambda m: f"{_('Acta')} · {m.session}",
        url=lambda m: _session_url(m.session),
        summary=lambda m: m.text,
    ),
]
KINDS_BY_KEY = {kind.key: kind for kind in KINDS}


@dataclass(frozen=True)
class Hit:
    title: str
    url: str
    summary: str


@dataclass
class Group:
    kind: Kind
    count: int
    hits: list[Hit] = field(default_factory=list)


def normalized(text: str) -> str:
    """Lower case without accents: "Educación" → "educacion"."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def matching(kind: Kind, text: str) -> models.QuerySet:
    """The published objects of ``kind`` that match ``text``, best first."""
    queryset = kind.queryset()
    if connection.vendor == "postgresql":
        vector: SearchVector | CombinedExpression = SearchVector(kind.fields[0], config=CONFIG, weight="A")
        if kind.fields[1:]:
            vector += SearchVector(*kind.fields[1:], config=CONFIG, weight="B")
        query = SearchQuery(text, config=CONFIG, search_type="websearch")
        return queryset.annotate(rank=SearchRank(vector, query)).filter(rank__gt=0).order_by("-rank", "pk")
    return _fallback(queryset, kind, text)


def _fallback(queryset: models.QuerySet, kind: Kind, text: str) -> models.QuerySet:
    words = normalized(text).split()
    found = [
        obj.pk
        for obj in queryset
        if all(w in normalized(" ".join(str(getattr(obj, f) or "") for f in kind.fields)) for w in words)
    ]
    return queryset.filter(pk__in=found).order_by("pk")


def hit(kind: Kind, obj: Any) -> Hit:
    return Hit(
        title=kind.title(obj), url=kind.url(obj), summary=Truncator(kind.summary(obj) or "").words(40, truncate=" …")
    )


def search_groups(text: str) -> list[Group]:
    """Every kind with its number of matches and its best few: two queries per kind."""
    if len(text.strip()) < MIN_LENGTH:
        return []
    groups = []
    for kind in KINDS:
        results = matching(kind, text)
        count = results.count()
        if count:
            groups.append(Group(kind=kind, count=count, hits=[hit(kind, o) for o in results[:GROUP_SIZE]]))
    return groups
