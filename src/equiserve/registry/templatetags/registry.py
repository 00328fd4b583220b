from django import template

from equiserve.registry.privacy import mask_id_number

register = template.Library()


@register.filter
def masked(number: str) -> str:
    """Show an ID number with only its first 6 and last 4 characters."""
    return mask_id_number(number)
