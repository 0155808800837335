"""Bodies of every kind, fictional people with accounts, their memberships and object permissions."""

import datetime
import os
import secrets
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from councils.models import Body, BodyKind, BodyTerm, Membership, MembershipRole, Person, PersonContact, Sector
from councils.services import secretaries as secretary_services
from implan import roles
from implan.models import Agency, Territory, TerritoryKind
from implan.portal.demo.upsert import upsert
from implan.types import Actor

User = get_user_model()

FIRST_NAMES = [
    "María",
    "José",
    "Guadalupe",
    "Juan",
    "Ana",
    "Luis",
    "Rosa",
    "Carlos",
    "Verónica",
    "Jorge",
    "Patricia",
    "Miguel",
    "Leticia",
    "Francisco",
    "Alejandra",
    "Ricardo",
    "Silvia",
    "Fernando",
    "Gabriela",
    "Héctor",
    "Claudia",
    "Arturo",
    "Mónica",
    "Raúl",
    "Adriana",
    "Sergio",
    "Elena",
    "Roberto",
    "Lucía",
    "Eduardo",
    "Teresa",
    "Manuel",
    "Norma",
    "Alberto",
    "Beatriz",
    "Óscar",
    "Araceli",
    "Javier",
    "Susana",
    "Enrique",
    "Laura",
    "Ramón",
]
SURNAMES = [
    "Hernández",
    "García",
    "Martínez",
    "López",
    "González",
    "Rodríguez",
    "Pérez",
    "Sánchez",
    "Ramírez",
    "Cruz",
    "Flores",
    "Gómez",
    "Morales",
    "Vázquez",
    "Jiménez",
    "Reyes",
    "Díaz",
    "Torres",
    "Gutiérrez",
    "Ruiz",
    "Mendoza",
    "Aguilar",
    "Ortiz",
    "Moreno",
    "Castillo",
    "Romero",
    "Álvarez",
    "Chávez",
    "Rivera",
    "Juárez",
    "Ramos",
    "Domínguez",
    "Herrera",
    "Medina",
    "Castro",
    "Vargas",
    "Guzmán",
    "Velázquez",
]

TERM_START = datetime.date(2024, 10, 10)
TERM_END = datetime.date(2027, 10, 9)


@dataclass
class Accounts:
    password: str
    reset: bool
    users: dict[str, Actor] = field(default_factory=dict)


def demo_password() -> tuple[str, bool]:
    """DEMO_PASSWORD when given (applied to every account), else a fresh one used only for new accounts."""
    given = os.environ.get("DEMO_PASSWORD")
    return (given, True) if given else (secrets.token_urlsafe(12), False)


def fictional_name(n: int) -> tuple[str, str]:
    first = FIRST_NAMES[n % len(FIRST_NAMES)]
    surname = f"{SURNAMES[(n * 7) % len(SURNAMES)]} {SURNAMES[(n * 11 + 3) % len(SURNAMES)]}"
    return first, surname


def account(
    accounts: Accounts,
    username: str,
    *,
    first: str,
    last: str,
    role: str | None,
    staff: bool = False,
    superuser: bool = False,
) -> Actor:
    user, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": first,
            "last_name": last,
            "email": f"{username}@demo.invalid",
            "is_staff": staff,
            "is_superuser": superuser,
        },
    )
    if created or (accounts.reset and not user.check_password(accounts.password)):
        user.set_password(accounts.password)
        user.save()
    if role:
        user.groups.add(Group.objects.get(name=role))
    accounts.users[username] = user
    return user


def person_for(user: Actor, *, n: int) -> Person:
    name = f"{user.first_name} {user.last_name}"
    person, _ = upsert(
        Person,
        slug=f"demo-{user.username}",
        defaults={"name": name, "sort_name": f"{user.last_name}, {user.first_name}", "user": user, "is_demo": True},
    )
    upsert(
        PersonContact,
        person=person,
        defaults={
            "email": f"{user.username}@correo-privado.example",
            "phone": f"477 555 {1000 + n:04d}",
            "address": f"Calle Ficticia {100 + n}, Col. Demostración, León, Gto.",
        },
    )
    return person


def body(slug: str, name: str, kind: str, **extra: Any) -> Body:
    obj, _ = upsert(Body, slug=slug, defaults={"name": name, "kind": kind, **extra})
    return obj


def seat(
    person: Person, on: Body, *, role: str, sector: str, has_vote: bool = True, term: BodyTerm | None = None
) -> Membership:
    membership, _ = Membership.objects.get_or_create(
        person=person,
        body=on,
        end_date=None,
        defaults={"role": role, "sector": sector, "has_vote": has_vote, "start_date": TERM_START, "term": term},
    )
    return membership


@dataclass
class Bodies:
    ayuntamiento: Body
    consultative: Body
    commissions: dict[int, Body]
    sectoral: list[Body]
    community: list[Body]


def build_bodies(agencies: dict[str, Agency]) -> Bodies:
    ayuntamiento = body(
        "ayuntamiento",
        "H. Ayuntamiento de León",
        BodyKind.AYUNTAMIENTO,
        seat_limit=20,
        qualified_majority_percent=Decimal("66.67"),
        renewal_period_years=3,
        purpose="Autoridad suprema del municipio: aprueba los planes estratégicos, el programa de "
        "gobierno, los programas y los presupuestos.",
    )
    consultative = body(
        "consejo-consultivo",
        "Consejo Consultivo de Planeación",
        BodyKind.CONSULTATIVE_COUNCIL,
        seat_limit=25,
        renewal_period_years=3,
        renewal_min_continuity_percent=Decimal("50"),
        purpose="Veinticinco ciudadanos que acompañan la elaboración de los planes y programas.",
    )
    body("junta-de-gobierno", "Junta de Gobierno del IMPLAN", BodyKind.GOVERNING_BOARD, seat_limit=11)
    body(
        "comision-de-regidores",
        "Comisión de Regidores de Planeación",
        BodyKind.REGIDORES_COMMISSION,
        seat_limit=5,
        parent=ayuntamiento,
    )
    body(
        "comision-del-consejo-consultivo",
        "Comisión del Consejo Consultivo",
        BodyKind.CONSULTATIVE_COMMISSION,
        seat_limit=7,
        parent=consultative,
    )
    body("cuerpo-tecnico", "Cuerpo Técnico del IMPLAN", BodyKind.TECHNICAL_STAFF, agency=agencies["implan"])
    sectoral = [
        body(
            f"consejo-sectorial-{slug}",
            f"Consejo Sectorial de {label}",
            BodyKind.SECTORAL_COUNCIL,
            agency=agencies[slug],
            seat_limit=15,
        )
        for slug, label in (
            ("obra-publica", "Obra Pública"),
            ("desarrollo-economico", "Desarrollo Económico"),
            ("medio-ambiente", "Medio Ambiente"),
            ("desarrollo-social", "Desarrollo Social"),
        )
    ]
    community = [
        body(
            f"consejo-comunitario-{t.code}",
            f"Consejo Comunitario {t.name}",
            BodyKind.URBAN_COMMUNITY_COUNCIL,
            territory=t,
            seat_limit=12,
        )
        for t in Territory.objects.filter(kind=TerritoryKind.DELEGACION).order_by("name")
    ]
    rural = Territory.objects.filter(kind=TerritoryKind.LOCALIDAD, area_type="rural").order_by("-population")[:3]
    community += [
        body(
            f"consejo-comunitario-{t.code}",
            f"Consejo Comunitario Rural {t.name}",
            BodyKind.RURAL_COMMUNITY_COUNCIL,
            territory=t,
            seat_limit=9,
        )
        for t in rural
    ]
    return Bodies(
        ayuntamiento=ayuntamiento, consultative=consultative, commissions={}, sectoral=sectoral, community=community
    )


def build_commissions(bodies: Bodies, strategies: list) -> None:
    for strategy in strategies:
        commission = body(
            f"comision-{strategy.slug}",
            f"Comisión de Planeación Estratégica: {strategy.name}",
            BodyKind.STRATEGY_COMMISSION,
            parent=bodies.consultative,
            seat_limit=9,
        )
        bodies.commissions[strategy.number] = commission
        if strategy.commission_id != commission.pk:
            strategy.commission = commission
            strategy.save()


def build_people(accounts: Accounts, bodies: Bodies, agencies: dict[str, Agency]) -> None:
    term, _ = BodyTerm.objects.get_or_create(
        body=bodies.consultative, start_date=TERM_START, defaults={"name": "2024–2027", "end_date": TERM_END}
    )
    admin = account(
        accounts,
        "admin",
        first="Administración",
        last="del Portal",
        role=roles.ADMINISTRATION,
        staff=True,
        superuser=True,
    )
    planner = account(accounts, "planeador", first="Lucía", last="Ramírez Ortega", role=roles.PLANNING)
    secretary = account(accounts, "secretario", first="Mauricio", last="Navarro Llamas", role=roles.TECHNICAL_SECRETARY)
    liaison = account(accounts, "enlace", first="Rocío", last="Estrada Villalobos", role=roles.AGENCY_LIAISON)
    for n, user in enumerate((admin, planner, secretary, liaison), start=90):
        person_for(user, n=n)
    secretary_person = Person.objects.get(user=secretary)
    for on in (bodies.consultative, bodies.ayuntamiento):
        seat(
            secretary_person,
            on,
            role=MembershipRole.TECHNICAL_SECRETARY,
            sector=Sector.PUBLIC_SERVANT,
            has_vote=False,
            term=term if on == bodies.consultative else None,
        )
        secretary_services.body_secretary_grant(actor=admin, body=on, user=secretary)
    for n in range(1, 26):
        first, last = fictional_name(n)
        user = account(accounts, f"consejero{n:02d}", first=first, last=last, role=roles.COUNCIL_MEMBER)
        person = person_for(user, n=n)
        seat(person, bodies.consultative, role=MembershipRole.COUNCILLOR, sector=Sector.CITIZEN, term=term)
        commission = bodies.commissions[(n - 1) % 9 + 1]
        # The seat is what lets them edit their strategy's objectives and programmes (planning.permissions).
        seat(person, commission, role=MembershipRole.COUNCILLOR, sector=Sector.CITIZEN)
    # consejero01 also sits on a community council, so the demo can propose a project from a barrio.
    seat(
        Person.objects.get(user=accounts.users["consejero01"]),
        bodies.community[0],
        role=MembershipRole.COUNCILLOR,
        sector=Sector.CITIZEN,
    )
    for n in range(1, 16):
        first, last = fictional_name(100 + n)
        user = account(accounts, f"regidor{n:02d}", first=first, last=last, role=roles.REGIDOR)
        seat(person_for(user, n=100 + n), bodies.ayuntamiento, role=MembershipRole.REGIDOR, sector=Sector.REGIDOR)
    # A sectoral council's technical secretary is its directorate's (dependencia's), not the IMPLAN's: the demo's
    # secretario conducts only the two bodies where he holds that seat. Earlier demos granted the sectoral councils.
    for sectoral in bodies.sectoral:
        secretary_services.body_secretary_revoke(actor=admin, body=sectoral, user=secretary)
    del agencies  # agencies reach the liaison through project permissions (see portfolio.py)


FORMER_TERM = (datetime.date(2021, 10, 10), datetime.date(2024, 10, 9))
RE_ELECTED = 5  # regidores may be re-elected once in a row


def build_former_ayuntamiento(accounts: Accounts, bodies: Bodies) -> None:
    """The Ayuntamiento of 2021–2024, which approved the 2024 budget: regidor01–05, re-elected in 2024, and ten
    former regidores. Their accounts exist only to have cast those votes, and are closed like any outgoing member's."""
    start, end = FORMER_TERM
    people = [Person.objects.get(user=accounts.users[f"regidor{n:02d}"]) for n in range(1, RE_ELECTED + 1)]
    for n in range(1, 16 - RE_ELECTED):
        first, last = fictional_name(200 + n)
        user = account(accounts, f"exregidor{n:02d}", first=first, last=last, role=None)
        if user.is_active:
            user.is_active = False
            user.save(update_fields=["is_active"])
        people.append(person_for(user, n=200 + n))
    for person in people:
        Membership.objects.get_or_create(
            person=person,
            body=bodies.ayuntamiento,
            start_date=start,
            defaults={"end_date": end, "role": MembershipRole.REGIDOR, "sector": Sector.REGIDOR},
        )
