"""Labels of the labour register in templates: occupations and towns, never codes."""

from django import template
from django.utils.translation import get_language

from equiserve.employment.occupations import occupation_label
from equiserve.formatting import town_name

register = template.Library()


@register.filter
def occupation(code):
    return occupation_label(code or "", get_language() or "zh")


@register.filter
def town_label(code):
    return town_name(code or "")


@register.filter
def reads_employment(user) -> bool:
    """Return whether the nav shows the labour register to `user`."""
    from equiserve.employment.permissions import reads_employment as reads

    return reads(user)
