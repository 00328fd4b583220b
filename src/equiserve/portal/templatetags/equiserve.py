from django import template

register = template.Library()


@register.filter
def pick(mapping, key):
    """Return mapping[key]: labels kept as {"zh": …, "en": …} in the plan's data."""
    if not mapping:
        return ""
    return mapping.get(key) or next(iter(mapping.values()), "")
