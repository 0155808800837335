"""The authentication backend of the portal's logged-in users."""

from typing import Any

from django.contrib.auth.backends import ModelBackend
from django.contrib.auth.models import User

from implan import roles


class RequestUserBackend(ModelBackend):
    """Django's ModelBackend, whose ``get_user`` — the logged-in user of every request — reads the user together with
    what its pages ask of it (roles, unread notices, model permissions: ``implan.roles.load_request_user``), one
    query where it took two. Inactive users are still refused, so a deactivated account is logged out."""

    def get_user(self, user_id: Any) -> User | None:
        user = roles.load_request_user(user_id)
        return user if user is not None and self.user_can_authenticate(user) else None
