"""Template filters of the housing pages."""

from django import template
from django.utils.translation import get_language

from equiserve.housing.assessment import ranking_dir
from equiserve.housing.ranking import current_ranking

register = template.Library()


@register.filter
def priority_group(code):
    """Return a priority group's label from the plan's ranking ("elderly" → 有60周岁…).

    Issue 14, deliverable 5: people read labels, never the group's code.
    """
    if not code:
        return "—"
    lang = "zh" if (get_language() or "zh-hans").startswith("zh") else "en"
    return current_ranking(ranking_dir()).group_label(code, lang)
