"""The unread count of the header's «Avisos» link (one query per page, only for a logged-in person)."""

from django import template

from implan.notifications import unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)
