"""Template filters of monitoring pages: figures as shown, labels in the language."""

import datetime as dt

from django import template
from django.utils import timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext_lazy as _

from equiserve.monitoring.definitions import in_language
from equiserve.monitoring.targets import STATUS_LABELS

register = template.Library()


@register.filter
def figure(value, indicator) -> str:
    """Format a value with the indicator's decimals ("—" when unknown)."""
    if value is None or value == "":
        return "—"
    decimals = getattr(indicator, "decimals", 1)
    return f"{float(value):,.{decimals}f}".replace(",", "")


@register.filter
def count(value) -> str:
    """Format a numerator or denominator: whole numbers without decimals."""
    if value is None:
        return "—"
    value = float(value)
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


@register.filter
def undetermined(value):
    """Return how many a value's rule left undetermined (None: no rule counted)."""
    from equiserve.monitoring.selectors import undetermined_of

    return undetermined_of(value)


@register.filter
def lang(texts) -> str:
    """Return the current language's text of a {zh, en} label."""
    return in_language(texts or {}, get_language() or "zh-hans")


@register.filter
def status_label(status: str) -> str:
    return str(STATUS_LABELS.get(status, status or "—"))


@register.filter
def get(mapping, key):
    return mapping.get(key) if mapping else None


@register.filter
def label_of(indicator) -> str:
    return indicator.label_in(get_language() or "zh-hans")


@register.filter
def definition_of(indicator) -> str:
    return indicator.definition_in(get_language() or "zh-hans")


GROUP_LABELS = {
    "zhongshan": _("Registered"),
    "elsewhere": _("Migrant"),
    "urban": _("Urban (communities)"),
    "rural": _("Rural (villages)"),
    "F": _("Women"),
    "M": _("Men"),
    "unknown": _("Unknown"),
}
DIMENSION_LABELS = {
    "hukou": _("household registration"),
    "urban_rural": _("urban and rural"),
    "sex": _("sex"),
    "age_band": _("age band"),
}


@register.filter
def group_label(group: str) -> str:
    """Return the label of a split's group (age bands are shown as they are)."""
    return str(GROUP_LABELS.get(group, group))


@register.filter
def dimension_label(dimension: str) -> str:
    return str(DIMENSION_LABELS.get(dimension, dimension))


# A report missing half a year after its deadline, when the next period's report
# is due, reads as its period's status, not as days counted since then (issue 14,
# deliverable 7: every unit read "overdue by 3,609 days").
CLOSED_AFTER = dt.timedelta(days=183)


@register.filter
def timeliness_text(row, today: dt.date | None = None) -> str:
    """Return a report's timeliness as a list shows it: days only while they help."""
    timeliness = row.timeliness
    today = today or timezone.localdate()
    if timeliness.code == "overdue" and today > row.due + CLOSED_AFTER:
        return str(_("Not submitted; the period is closed"))
    if not timeliness.days_late:
        return str(timeliness.label)
    days = ngettext("%(days)s day", "%(days)s days", timeliness.days_late) % {
        "days": f"{timeliness.days_late:,}"
    }
    return f"{timeliness.label} ({days})"
