"""The unread count of the header's «Avisos» link (one query per page, only for a logged-in person)."""

from django import template

from implan.notifications import kind_label, unread_count

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notifications(context: template.Context) -> int:
    user = context.get("user")
    if user is None or not user.is_authenticated:
        return 0
    return unread_count(user)


@register.filter
def notice_kind(key: str) -> str:
    """The kind's label in the reader's language (a notice's own title is stored in Spanish, as it was sent)."""
    return kind_label(key)
