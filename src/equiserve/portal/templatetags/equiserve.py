from django import template

from equiserve import formatting

register = template.Library()


@register.filter
def pick(mapping, key):
    """Return mapping[key]: labels kept as {"zh": …, "en": …} in the plan's data."""
    if not mapping:
        return ""
    return mapping.get(key) or next(iter(mapping.values()), "")


@register.filter
def money(value):
    """Render an amount as "¥12,000.00" (equiserve.formatting.money)."""
    return formatting.money(value)


@register.filter
def half_year(period):
    """Render a period such as "2016H2" as "2016年下半年" / "2016 H2"."""
    return formatting.half_year(period)


@register.filter
def quantity(count, unit):
    """Render a count with its unit: "1 court", "4 items", "4 项" (formatting.quantity)."""
    return formatting.quantity(count, unit)


@register.filter
def unit(code):
    """Render a unit code in words: "items" → "项" / "items" (formatting.unit_label)."""
    return formatting.unit_label(code)
