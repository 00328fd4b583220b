from django import template

from equiserve.facilities.permissions import can_import

register = template.Library()


@register.filter
def may_import(user) -> bool:
    """Return whether the user may import facilities (for showing the link)."""
    return can_import(user)
