"""Order and filter the city report's long tables, failing first (issue 14, d. 6).

The city report folds each domain; within one, the towns short of a target come
first, and `?towns=failing` keeps only them. The reports table puts the overdue
and late ones first, and `?reports=late` keeps only them. Works without
JavaScript: the filters are links.
"""

from django import template

from equiserve.monitoring.targets import AT_RISK, OFF_TRACK

register = template.Library()

FAILING = (OFF_TRACK, AT_RISK)
# Worst first: not in yet past the deadline, in late, then the rest.
_TIMELINESS_RANK = {"overdue": 0, "late": 1, "pending": 2, "on_time": 3}


def _asked(context, name: str, value: str) -> bool:
    request = context.get("request")
    return request is not None and request.GET.get(name) == value


@register.simple_tag(takes_context=True)
def towns_failing_first(context, block, towns) -> list[tuple[str, int]]:
    """Return (town code, targets missed) of a domain's matrix, failing first."""
    rows = []
    for index, code in enumerate(towns):
        missed = 0
        for entry in block["indicators"]:
            figure = entry["by_town"].get(code)
            if figure is not None and figure.status in FAILING:
                missed += 1
        rows.append((-missed, index, code, missed))
    rows.sort()
    if _asked(context, "towns", "failing"):
        rows = [row for row in rows if row[3]]
    return [(code, missed) for _rank, _index, code, missed in rows]


@register.simple_tag(takes_context=True)
def reports_late_first(context, reports) -> list:
    """Return the expected reports, overdue and late first; only those when asked."""
    rows = sorted(
        enumerate(reports),
        key=lambda pair: (_TIMELINESS_RANK.get(pair[1].timeliness.code, 9), pair[0]),
    )
    if _asked(context, "reports", "late"):
        rows = [pair for pair in rows if pair[1].timeliness.code in ("overdue", "late")]
    return [row for _index, row in rows]


@register.simple_tag(takes_context=True)
def filter_link(context, name: str, value: str) -> str:
    """Return this page's query string with `name` set to `value` (or removed)."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None
    if query is None:
        return f"?{name}={value}" if value else "?"
    query.pop(name, None)
    if value:
        query[name] = value
    return "?" + query.urlencode()


@register.filter
def item_status_label(code: str) -> str:
    """Return a plan item's status in words ("behind" → "Behind schedule")."""
    from equiserve.monitoring.models import ItemStatus

    return str(dict(ItemStatus.choices).get(code, code))
