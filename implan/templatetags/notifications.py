"""The unread count of the header's «Avisos» link (read with the roles of the request's user, in one query)."""

from django import template

from implan import roles
from implan.notifications import kind_label, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    if getattr(user, roles.REQUEST_ROLES, False) is None:  # the request's user, nothing read yet: read it all at once
        roles.read_request_user(user)
    if hasattr(user, roles.REQUEST_UNREAD):
        return int(getattr(user, roles.REQUEST_UNREAD))
    return unread_count(user)


@register.filter
def notice_kind(key: str) -> str:
    """The kind's label in the reader's language (a notice's own title is stored in Spanish, as it was sent)."""
    return kind_label(key)
