"""Template filters of the housing pages."""

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from equiserve.housing.assessment import ranking_dir
from equiserve.housing.ranking import current_ranking
from equiserve.policy.messages import departments

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


# Each published rule in words (issue 14, deliverable 5: the page printed the dict).
GROUP_RULES = {
    "declared_disability": _("a member holds a disability certificate"),
    "member_aged_at_least": _("a member is aged %(age)s or over"),
    "member_low_income": _("the household is a registered low-income family"),
}
SCORE_PARTS = {
    "points_above_minimum": _(
        "%(weight)s per point of the best member's points score above the minimum "
        "(migrant households)"
    ),
    "floor_area_shortfall_m2": _(
        "%(weight)s per m² of floor area per person below the limit"
    ),
}
DEMOTIONS = {"end_of_group": _("to the end of its priority group")}


@register.simple_tag
def ranking_in_words(ranking) -> dict:
    """Return a ranking version's groups, score and refusal rule as sentences."""
    lang = "zh" if (get_language() or "zh-hans").startswith("zh") else "en"
    criteria = ranking.criteria or {}
    groups = []
    for group in ranking.config.priority_groups:
        rule = dict((criteria.get("groups") or {}).get(group) or {})
        name = rule.pop("rule", "")
        text = GROUP_RULES.get(name)
        groups.append(
            {
                "label": ranking.group_label(group, lang),
                "rule": str(text) % rule if text else "",
            }
        )
    score = [
        str(SCORE_PARTS[part]) % {"weight": weight}
        for part, weight in (criteria.get("score") or {}).items()
        if part in SCORE_PARTS
    ]
    demotion = ranking.config.refusal_demotion
    owner = departments().get(ranking.config.owner, {}).get(lang, ranking.config.owner)
    return {
        "owner": owner.removeprefix("the "),
        "groups": groups,
        "score": score,
        "demotion": str(DEMOTIONS.get(demotion, demotion)),
    }
