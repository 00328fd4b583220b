"""Labels for the disability pages, and whether a user reads them (the nav)."""

from django import template
from django.utils.translation import get_language

from equiserve.disability.exports import key_label

register = template.Library()


@register.filter
def reads_disability(user) -> bool:
    from equiserve.disability.permissions import reads_disability as reads

    return reads(user)


@register.filter
def coverage_key(row, dimension: str) -> str:
    return key_label(dimension, row.key)


@register.filter
def cell(row, group: str):
    return row.cells[group]


@register.filter
def percent(share) -> str:
    return "—" if share is None else f"{share * 100:.1f}%"


@register.filter
def local_name(record) -> str:
    english = (get_language() or "").startswith("en")
    return (getattr(record, "name_en", "") if english else "") or record.name


@register.filter
def split_words(text: str) -> list[str]:
    return text.split()


@register.filter
def town_label(code: str) -> str:
    from equiserve.formatting import town_name

    return town_name(code)
