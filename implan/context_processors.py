"""Values every template needs: the institute's name and the user's roles."""

from django.conf import settings
from django.http import HttpRequest


def site(request: HttpRequest) -> dict[str, object]:
    return {
        "INSTITUTE_NAME": settings.INSTITUTE_NAME,
        "INSTITUTE_SHORT_NAME": settings.INSTITUTE_SHORT_NAME,
        "MUNICIPALITY_NAME": settings.MUNICIPALITY_NAME,
        "MUNICIPALITY_SHORT_NAME": settings.MUNICIPALITY_SHORT_NAME,
    }
