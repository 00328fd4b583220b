from django import template

register = template.Library()


@register.filter
def get_item(mapping, key):
    """Return `mapping[key]` ("" when absent): a table's cell by column name."""
    return mapping.get(key, "")
