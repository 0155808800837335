"""Values every template needs: the institute's and the municipality's names, from the settings.

Core, not site layer: it reads only settings, so any app may render with it (planning's PDF report does, outside a
request). What a user may do is asked per page through ``implan.permissions``, not put in every context here.
"""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "INSTITUTE_NAME": settings.INSTITUTE_NAME,
        "INSTITUTE_SHORT_NAME": settings.INSTITUTE_SHORT_NAME,
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "MUNICIPALITY_SHORT_NAME": settings.MUNICIPALITY_SHORT_NAME,
        # The portal's own address for links meant to be shared or copied: never the request's Host header, which
        # a visitor chooses and a cached page would then show to everyone.
        "PORTAL_URL": settings.PORTAL_URL,
    }
