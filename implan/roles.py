"""The portal's roles are Django groups; their names live here so code never spells them twice."""

from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from implan.types import AnyUser

# The group names stay Spanish in the database; gettext_noop only puts them in the catalogue, so that a template can
# show a role with {% translate role %}.
ADMINISTRATION = gettext_noop("Administración")
PLANNING = gettext_noop("Planeación")
TECHNICAL_SECRETARY = gettext_noop("Secretaría técnica")
COUNCIL_MEMBER = gettext_noop("Consejero")
REGIDOR = gettext_noop("Regidor")
AGENCY_LIAISON = gettext_noop("Enlace de dependencia")

ALL_ROLES = [ADMINISTRATION, PLANNING, TECHNICAL_SECRETARY, COUNCIL_MEMBER, REGIDOR, AGENCY_LIAISON]

ROLE_DESCRIPTIONS = {
    ADMINISTRATION: _("Administra personas, membresías, roles y catálogos."),
    PLANNING: _("Cuerpo técnico: redacta diagnóstico, visión, estrategias, programas, presupuesto e informe."),
    TECHNICAL_SECRETARY: _("Convoca sesiones de su órgano, fija el orden del día, toma asistencia y abre votaciones."),
    COUNCIL_MEMBER: _("Consulta lo que está ante su órgano, asiste a sesiones, vota y propone proyectos."),
    REGIDOR: _("Integrante del Ayuntamiento: vota la aprobación de planes, programas y presupuestos."),
    AGENCY_LIAISON: _("Reporta avance físico y financiero de los proyectos de su dependencia."),
}


def user_roles(user: AnyUser) -> set[str]:
    if not user.is_authenticated:
        return set()
    if not hasattr(user, REQUEST_ROLES):  # not the user of a request: read the groups as they are now
        return set(user.groups.values_list("name", flat=True))
    remembered: frozenset[str] | None = getattr(user, REQUEST_ROLES)
    if remembered is None:
        remembered = frozenset(user.groups.values_list("name", flat=True))
        setattr(user, REQUEST_ROLES, remembered)
    return set(remembered)


# Set to None on the logged-in user of each request (implan.middleware.RequestRolesMiddleware): the page's several role
# checks (the view's, the menu's, the template's) then read the user's groups once. Other users (an actor in a script
# or a test, whose groups may change while it lives) are read every time.
REQUEST_ROLES = "_roles_of_this_request"
