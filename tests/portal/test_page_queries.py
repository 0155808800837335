"""The pages issue 19 names, on the León demo, take at most 15 queries each, and the same number when their data
doubles: the uncached public pages (home, plan, strategy, portfolio, budget year with its classifications and
lines, indicator, body, session) and, logged in, the member's home, a session during an open vote (as a member, its
secretary and an administrator), the plan workspace and a budget's lines.

The pages are the ones the benchmarks measure (``bench/pages.py``). Each is read once before counting: the first
read warms the process's caches (content types, permissions), as any earlier request of a running server has.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Callable

import pytest
from django.contrib.auth import get_user_model
from django.db import connection
from django.db.models import Sum
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bench import pages
from councils.models import AttendanceStatus, Body, Membership, Session, SessionState
from implan.models import Notification
from indicators.models import Indicator
from planning.models import Budget, BudgetLine, Strategy
from projects.models import Project
from tests.factories import (
    AgendaItemFactory,
    BodyFactory,
    GoalFactory,
    MembershipFactory,
    ObjectiveFactory,
    PersonFactory,
    SessionFactory,
)

pytestmark = pytest.mark.django_db

MOST = 15  # issue 19: no page does more
_serial = itertools.count(1)


def _count(client, path: str) -> int:
    assert client.get(path).status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(path).status_code == 200
    return len(ctx.captured_queries)


def _clone(obj, **changes):
    """A copy of ``obj`` as a new row (its history records the creation, as a real one would have)."""
    obj.pk = obj.id = None
    obj._state.adding = True
    for name, value in changes.items():
        setattr(obj, name, value)
    obj.save()
    return obj


# --- Growth: each doubles what its page lists ------------------------------------------------------------------


def _more_budget_lines(budget: Budget) -> None:
    for line in list(BudgetLine.objects.filter(budget=budget).prefetch_related("allocations")):
        allocations = list(line.allocations.all())
        copy = _clone(line, description=f"{line.description} (copia {next(_serial)})")
        for allocation in allocations:
            _clone(allocation, budget_line=copy)


def _more_members(body: Body, *, present_in: Session | None = None) -> None:
    for membership in list(Membership.objects.filter(body=body)):
        copy = _clone(membership, person=PersonFactory(), term=membership.term)
        if present_in is not None:
            present_in.attendances.create(membership=copy, status=AttendanceStatus.PRESENT)


def _more_agenda_items(session: Session) -> None:
    last = session.agenda_items.order_by("-order").values_list("order", flat=True).first() or 0
    for n in range(session.agenda_items.count()):
        AgendaItemFactory(session=session, order=last + n + 1, title=f"Asunto añadido {n}")


def _more_projects() -> None:
    for project in list(Project.objects.public()):
        n = next(_serial)
        _clone(project, code=f"{project.code}-C{n}"[:30], slug=f"{project.slug}-copia-{n}")


def _more_strategy_content(strategy: Strategy) -> None:
    for objective in list(strategy.objectives.all()):
        copy = ObjectiveFactory(strategy=strategy, number=100 + next(_serial), title=f"{objective.title} (copia)")
        for goal in list(objective.goals.all()):
            GoalFactory(objective=copy, description=f"{goal.description} (copia)", indicator=goal.indicator)


def _more_strategies(plan) -> None:
    for strategy in list(plan.strategies.all()):
        n = next(_serial)
        copy = Strategy.objects.create(
            plan=plan,
            vertiente=strategy.vertiente,
            number=100 + n,
            name=f"{strategy.name} (copia {n})",
            slug=f"{strategy.slug}-copia-{n}",
            description=strategy.description,
        )
        ObjectiveFactory(strategy=copy, number=1, title=f"Objetivo de la copia {n}")


def _more_observations(indicator: Indicator) -> None:
    for observation in list(indicator.observations.all()):
        start = observation.period_start.replace(year=observation.period_start.year - 40)
        _clone(observation, period=f"{observation.period}-c{next(_serial)}", period_start=start)


def _more_for_the_member(user) -> None:
    """Twice the notices, and seats in as many more bodies, each with a session convened."""
    for notice in list(Notification.objects.filter(user=user)):
        _clone(notice, read_at=None)
    person = Membership.objects.filter(person__user=user).first().person
    for _ in range(Membership.objects.filter(person=person).count()):
        n = next(_serial)
        body = BodyFactory(name=f"Órgano añadido {n}", slug=f"organo-anadido-{n}")
        MembershipFactory(person=person, body=body, start_date=datetime.date(2024, 1, 1))
        SessionFactory(
            body=body,
            number=1,
            state=SessionState.CONVENED,
            scheduled_at=timezone.now() + datetime.timedelta(days=3),
        )


# --- The pages -------------------------------------------------------------------------------------------------


def _public(name: str) -> Callable[[], tuple[str, Callable[[], None]]]:
    def page() -> tuple[str, Callable[[], None]]:
        path = pages.public_pages()[name]
        published = Budget.objects.published().order_by("-fiscal_year__year").first()
        strategy = Strategy.objects.of_published_plans().order_by("number").first()
        session = Session.objects.filter(state=SessionState.CLOSED).order_by("-number").first()
        grow: dict[str, Callable[[], None]] = {
            "home": _more_projects,
            "plan": lambda: _more_strategies(strategy.plan),
            "strategy": lambda: _more_strategy_content(strategy),
            "portfolio": _more_projects,
            "budget year": lambda: _more_budget_lines(published),
            "budget CONAC": lambda: _more_budget_lines(published),
            "budget lines": lambda: _more_budget_lines(published),
            "indicator": lambda: _more_observations(Indicator.objects.published().order_by("code").first()),
            "body": lambda: _more_members(Body.objects.get(slug="consejo-consultivo")),
            "session": lambda: _more_agenda_items(session),
        }
        return path, grow[name]

    return page


PUBLIC = [
    "home",
    "plan",
    "strategy",
    "portfolio",
    "budget year",
    "budget CONAC",
    "budget lines",
    "indicator",
    "body",
    "session",
]
# The session during a vote as those who conduct or oversee it read it (not members: their page reads other rows).
SESSION_READERS = {"the vote, its secretary": "secretario", "the vote, an administrator": "admin"}
WORKSPACE = ["member's home", "session during a vote", *SESSION_READERS, "plan workspace", "budget's lines"]


@pytest.mark.parametrize("name", PUBLIC)
def test_each_public_page_takes_at_most_15_queries_and_as_many_with_twice_the_data(client, demo, name):
    path, grow = _public(name)()
    before = _count(client, path)
    grow()
    after = _count(client, path)
    assert (before, after) == (before, before) and before <= MOST, f"{name}: {before} → {after} queries"


@pytest.mark.parametrize("name", WORKSPACE)
def test_each_workspace_page_takes_at_most_15_queries_and_as_many_with_twice_the_data(client, demo, name):
    vote = pages.open_vote()
    if name in SESSION_READERS:
        username, path = SESSION_READERS[name], pages.workspace_pages(vote)["session during a vote"][1]
    else:
        username, path = pages.workspace_pages(vote)[name]
    user = get_user_model().objects.get(username=username)
    session = Session.objects.get(pk=vote.session_pk)
    budget = Budget.objects.order_by("-fiscal_year__year", "-version").first()

    def more_in_session() -> None:
        _more_agenda_items(session)
        _more_members(session.body, present_in=session)

    grow: dict[str, Callable[[], None]] = {
        "member's home": lambda: _more_for_the_member(user),
        "session during a vote": more_in_session,
        **dict.fromkeys(SESSION_READERS, more_in_session),
        "plan workspace": lambda: _more_strategies(Strategy.objects.order_by("pk").first().plan),
        "budget's lines": lambda: _more_budget_lines(budget),
    }
    client.force_login(user)
    before = _count(client, path)
    grow[name]()
    after = _count(client, path)
    assert (before, after) == (before, before) and before <= MOST, f"{name}: {before} → {after} queries"


def test_the_budget_totals_read_with_fewer_queries_are_the_same(demo):
    """The budget year reads the totals by strategy, agency and chapter in one query, a budget's workspace reads them
    with its number of lines and the approved amounts by programme in one; both take their summary from the totals by
    chapter, and the comparison's previous year its sums in the same query: the figures, and their order, are those
    the separate queries give."""
    from planning.selectors import budget as selectors

    compared = 0
    for budget in Budget.objects.all():
        totals = selectors.labelled_totals(budget=budget)
        strategy = selectors._rows(
            selectors.budget_totals(budget=budget)["strategy"],
            lambda r: r["programme__strategy__name"] or "Sin estrategia",
        )
        assert totals.by_strategy == strategy
        overview = selectors.budget_overview(budget=budget)
        assert overview.totals == totals
        assert overview.line_count == budget.lines.count()
        assigned = dict(budget.lines.values_list("programme_id").annotate(total=Sum("approved_amount")))
        assert overview.assigned == {programme: total for programme, total in assigned.items() if total is not None}
        assert selectors.summary_of(budget, totals.by_chapter) == selectors.budget_summary(budget=budget)
        conac = selectors.classification_totals(budget=budget, totals=totals)
        assert conac == selectors.classification_totals(budget=budget)
        summary = selectors.budget_summary(budget=budget)
        comparison = selectors.previous_year_comparison(budget=budget, summary=summary)
        if comparison is not None:
            before = selectors.budget_summary(budget=comparison.previous)
            assert [r.before for r in comparison.rows] == [before.approved, before.modified, before.executed]
            compared += 1
    assert compared
