"""Filters of the case pages."""

from django import template

from equiserve.registry.privacy import mask_id_number

register = template.Library()


@register.filter
def lookup(mapping, key):
    """Return mapping[key], or "" when absent."""
    return mapping.get(key, "") if mapping else ""


@register.filter
def masked_id(number: str) -> str:
    """Return an ID number with all but its first 6 and last 4 characters hidden."""
    return mask_id_number(number)
