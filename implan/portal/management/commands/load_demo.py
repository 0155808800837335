"""`manage.py load_demo`: León's planning system with fictional people, idempotent."""

from django.core.management.base import BaseCommand
from django.db import transaction

from councils.models import Body, BodyKind, Membership, Person, Resolution, Session, Vote
from implan.portal.demo import budget, catalog, consultation, people, plan, portfolio, proposals, record
from implan.portal.demo import indicators as demo_indicators
from implan.portal.demo import mir as demo_mir
from indicators.models import Indicator, Observation
from planning.models import Strategy
from projects.models import Project


class Command(BaseCommand):
    help = "Carga el sistema de planeación de León (datos de demostración; personas ficticias). Idempotente."

    def handle(self, *args: object, **options: object) -> None:
        password, reset = people.demo_password()
        accounts = people.Accounts(password=password, reset=reset)
        with transaction.atomic():
            created_any = self._build(accounts)
        self._report(accounts, created_any)

    def _build(self, accounts: people.Accounts) -> bool:
        before = Person.objects.filter(is_demo=True).count()
        leon = catalog.build_territories()
        agencies = catalog.build_agencies()
        years = catalog.build_terms()
        bodies = people.build_bodies(agencies)
        long_term, strategies = plan.build_plan()
        people.build_commissions(bodies, strategies)
        people.build_people(accounts, bodies, agencies)
        people.build_former_ayuntamiento(accounts, bodies)
        indicators = demo_indicators.build_indicators(leon, agencies, strategies)
        plan.mark_published_without_vote(plan.build_diagnosis(long_term, indicators))
        programmes = plan.build_programmes(strategies, agencies)
        demo_mir.build_mir(programmes, leon, agencies)  # part of what the seed's approval covers
        for programme in programmes:
            plan.mark_published_without_vote(programme)
        government_plan = plan.build_government_plan(years[2025], programmes)
        budget_2024, budget_2025, budget_2026 = (budget.build_budget(years[y], programmes) for y in (2024, 2025, 2026))
        # Before the seed's approval: the projects the government plan commits to are part of what is voted.
        portfolio.build_projects(
            strategies=strategies,
            programmes=programmes,
            government_plan=government_plan,
            budget=budget_2025,
            fiscal_year=years[2025],
            origins=bodies.community + bodies.sectoral,
            proposer=Person.objects.get(user=accounts.users["consejero01"]),
            liaison=accounts.users["enlace"],
        )
        # Before the seed's sessions, so the Ayuntamiento's sessions are numbered in the order they were held.
        record.approve_earlier_budget(
            users=accounts.users, ayuntamiento=bodies.ayuntamiento, budget=budget_2024, when=record._at(2023, 12, 14)
        )
        record.approve_seed(
            users=accounts.users,
            ayuntamiento=bodies.ayuntamiento,
            consultative=bodies.consultative,
            plan=long_term,
            government_plan=government_plan,
            budget=budget_2025,
        )
        budget.build_quarterly_execution([budget_2024, budget_2025], closer=accounts.users["planeador"])
        budget.build_report_and_evaluation(
            users=accounts.users, ayuntamiento=bodies.ayuntamiento, consultative=bodies.consultative, year=years[2025]
        )
        record.convene_upcoming(users=accounts.users, consultative=bodies.consultative, budget_draft=budget_2026)
        consultation.build_consultation(planner=accounts.users["planeador"], plan=long_term)
        proposals.build_proposals(planner=accounts.users["planeador"], plan=long_term)
        return Person.objects.filter(is_demo=True).count() > before

    def _report(self, accounts: people.Accounts, created_any: bool) -> None:
        counts = {
            "órganos": Body.objects.count(),
            "estrategias": Strategy.objects.count(),
            "integrantes vigentes del Consejo Consultivo": Membership.objects.current()
            .filter(body__kind=BodyKind.CONSULTATIVE_COUNCIL, has_vote=True)
            .count(),
            "sesiones": Session.objects.count(),
            "votos": Vote.objects.count(),
            "acuerdos": Resolution.objects.count(),
            "indicadores": Indicator.objects.count(),
            "observaciones": Observation.objects.count(),
            "proyectos": Project.objects.count(),
        }
        self.stdout.write(self.style.SUCCESS("Datos de demostración de León cargados:"))
        for label, count in counts.items():
            self.stdout.write(f"  {label}: {count}")
        self.stdout.write("Cuentas: admin, planeador, secretario, consejero01…consejero25, regidor01…regidor15, enlace")
        if accounts.reset:
            self.stdout.write("Contraseña de todas las cuentas: la de DEMO_PASSWORD.")
        elif created_any:
            self.stdout.write(f"Contraseña de todas las cuentas: {accounts.password}")
        else:
            self.stdout.write(
                "Las cuentas ya existían: se conservaron sus contraseñas (defina DEMO_PASSWORD para fijar una)."
            )
