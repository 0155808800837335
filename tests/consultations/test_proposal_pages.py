"""The public pages of citizen proposals (list, call with its map and form, proposal, open data) and their forms:
the robot checks, the private e-mail, the links between a proposal and its project, constant queries."""

from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from consultations import proposals as services
from consultations.forms import form_stamp
from consultations.models import Proposal, ProposalState
from projects import services as project_services
from projects.models import Project, ProjectStatus
from tests.consultations.proposal_builders import INSIDE, call_world, propose

pytestmark = pytest.mark.django_db


@pytest.fixture
def call(planner):
    return call_world(planner)


def _form(call, **overrides):
    colonia = call.territories.get().children.get()
    return {
        "title": "Techumbre en la cancha",
        "description": "<script>alert(1)</script> La cancha no tiene sombra.",
        "strategy": call.strategies.get().pk,
        "territory": colonia.pk,
        "latitude": str(INSIDE[0]),
        "longitude": str(INSIDE[1]),
        "author_name": "Beto",
        "email": "beto@correo-privado.example",
        "website": "",
        "stamp": form_stamp(),
        **overrides,
    }


def test_the_lists_say_when_there_is_nothing_yet(client):
    assert "Todavía no hay convocatorias" in client.get(reverse("consultations:call_list")).content.decode()


def test_a_citizen_proposes_from_the_calls_page_and_waits_for_moderation(client, call, settings):
    settings.CONSULTATION_MIN_SECONDS = 0
    url = reverse("consultations:call_detail", args=[call.slug])
    page = client.get(url).content.decode()
    assert "data-point-picker" in page and "Todavía no hay propuestas publicadas" in page

    response = client.post(url, _form(call), follow=True)

    assert "Su propuesta se publicará" in response.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.state == ProposalState.HELD and proposal.email == "beto@correo-privado.example"
    assert "Techumbre" not in client.get(url).content.decode()


def test_robots_are_refused_by_the_honeypot_and_the_time_check(client, call, settings):
    url = reverse("consultations:call_detail", args=[call.slug])
    settings.CONSULTATION_MIN_SECONDS = 0
    assert "automática" in client.post(url, _form(call, website="http://spam")).content.decode()
    assert "automática" in client.post(url, _form(call, stamp="forjado")).content.decode()
    settings.CONSULTATION_MIN_SECONDS = 60
    assert "automática" in client.post(url, _form(call)).content.decode()
    assert not Proposal.objects.exists()


def test_a_point_outside_the_municipality_is_refused_in_spanish(client, call, settings):
    settings.CONSULTATION_MIN_SECONDS = 0
    url = reverse("consultations:call_detail", args=[call.slug])
    page = client.post(url, _form(call, latitude="19.4326", longitude="-99.1332")).content.decode()
    assert "fuera del municipio" in page and not Proposal.objects.exists()


def test_a_published_proposal_shows_as_text_without_the_email(client, call, planner):
    proposal = propose(call, n=1, description="<img src=x onerror=alert(1)> Sombra")
    services.proposal_moderate(actor=planner, proposal=proposal, accept=True)
    pages = [
        client.get(reverse("consultations:call_detail", args=[call.slug])),
        client.get(reverse("consultations:proposal_detail", args=[call.slug, proposal.pk])),
        client.get(reverse("consultations:call_geojson", args=[call.slug])),
        client.get(reverse("consultations:proposals_json")),
        client.get(reverse("consultations:proposals_csv")),
        client.get(reverse("implan:feed")),
    ]
    assert all(p.status_code == 200 for p in pages)
    texts = [b"".join(p.streaming_content) if p.streaming else p.content for p in pages]
    assert all(b"proponente1@correo-privado.example" not in t for t in texts)
    assert b"&lt;img src=x onerror=alert(1)&gt;" in texts[1]
    assert b"Parque de bolsillo 1" in texts[5]
    rows = list(csv.reader(io.StringIO(texts[4].decode("utf-8-sig"))))
    assert len(rows) == 2 and "email" not in ",".join(rows[0]) and rows[1][2] == "Parque de bolsillo 1"


def test_a_held_or_rejected_proposal_has_no_public_page(client, call, planner):
    held = propose(call, n=1)
    rejected = services.proposal_moderate(actor=planner, proposal=propose(call, n=2), accept=False, reason="publicidad")
    for proposal in (held, rejected):
        assert client.get(reverse("consultations:proposal_detail", args=[call.slug, proposal.pk])).status_code == 404


def test_the_proposal_and_its_project_link_to_each_other_once_the_project_is_public(client, call, planner):
    proposal = services.proposal_moderate(actor=planner, proposal=propose(call, n=1), accept=True)
    services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.FOR_ASSESSMENT)
    services.proposal_advance(actor=planner, proposal=proposal, to=ProposalState.UNDER_ASSESSMENT)
    project = services.proposal_to_project(actor=planner, proposal=proposal).project
    url = reverse("consultations:proposal_detail", args=[call.slug, proposal.pk])
    assert "Registrado como proyecto propuesto" in client.get(url).content.decode()

    Project.objects.filter(pk=project.pk).update(status=ProjectStatus.IN_PORTFOLIO)  # its assessment, elsewhere

    project_url = reverse("projects:project_detail", args=[project.slug])
    assert project_url in client.get(url).content.decode()
    assert url in client.get(project_url).content.decode()

    # Cancelled later, the project leaves the public portfolio, and the proposal says what became of it.
    project_services.project_transition(actor=planner, project=project, to=ProjectStatus.CANCELLED, reason="Sin predio")
    html = client.get(url).content.decode()
    assert project_url not in html and "Registrado como proyecto propuesto" not in html
    assert "después fue cancelado y ya no forma parte de la cartera" in html


def test_the_calls_page_keeps_its_queries_as_proposals_grow(client, call, planner, django_assert_max_num_queries):
    url = reverse("consultations:call_detail", args=[call.slug])

    def count() -> int:
        with django_assert_max_num_queries(100) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    services.proposal_moderate(actor=planner, proposal=propose(call, n=1), accept=True)
    few = count()
    for n in range(2, 8):
        services.proposal_moderate(actor=planner, proposal=propose(call, n=n), accept=True)
    assert count() == few


def test_a_post_after_the_period_saves_nothing_and_says_why(client, call, settings):
    import datetime

    from django.utils import timezone

    from consultations.models import ProposalCall

    settings.CONSULTATION_MIN_SECONDS = 0
    url = reverse("consultations:call_detail", args=[call.slug])
    form = _form(call)
    ProposalCall.objects.filter(pk=call.pk).update(ends_on=timezone.localdate() - datetime.timedelta(days=1))
    page = client.post(url, form, follow=True).content.decode()
    assert "no recibe propuestas" in page and "Proponga un proyecto" not in page
    assert not Proposal.objects.exists()


def test_the_moderation_page_keeps_its_queries_as_proposals_grow(client, call, planner, django_assert_max_num_queries):
    client.force_login(planner)
    url = reverse("consultations:call_workspace", args=[call.pk])

    def count(state: str) -> int:
        with django_assert_max_num_queries(100) as captured:
            assert client.get(url, {"estado": state}).status_code == 200
        return len(captured)

    propose(call, n=1)
    services.proposal_moderate(actor=planner, proposal=propose(call, n=2), accept=True)
    few = (count(ProposalState.HELD), count(ProposalState.RECEIVED))
    for n in range(3, 9):
        proposal = propose(call, n=n)
        if n % 2:
            services.proposal_moderate(actor=planner, proposal=proposal, accept=True)
    assert (count(ProposalState.HELD), count(ProposalState.RECEIVED)) == few
