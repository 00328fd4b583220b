from django import template

from equiserve.facilities.permissions import writes_facilities

register = template.Library()


@register.filter
def may_import(user) -> bool:
    """Return whether the user may import facilities (for showing the link)."""
    return writes_facilities(user)
