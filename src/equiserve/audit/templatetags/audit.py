"""How the audit trail reads (issue 14, deliverable 5): record types, towns and
programmes by their names in the reader's language, not by their codes."""

from django import template
from django.apps import apps
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from equiserve import formatting

register = template.Library()

# Record types that are not a model of their own.
OTHER_TYPES = {
    "audit.chain": _("audit chain"),
    "facilities.report": _("facility report"),
    "monitoring.report": _("progress report"),
}


@register.filter
def record_type(object_type: str) -> str:
    """Return a record type ("cases.case") as its model's name ("申请案件")."""
    if object_type in OTHER_TYPES:
        return capfirst(OTHER_TYPES[object_type])
    try:
        model = apps.get_model(object_type)
    except (LookupError, ValueError):
        return object_type
    return capfirst(model._meta.verbose_name)


@register.filter
def town(code: str) -> str:
    """Return a town's name in the reader's language."""
    return formatting.town_name(code)


@register.filter
def with_labels(text: str) -> str:
    """Return a summary with the programmes it names by their labels."""
    return formatting.with_labels(text)


@register.simple_tag(takes_context=True)
def record_link(context, entry) -> str:
    """Return the URL of the entry's record if the reader may open it, else ""."""
    from equiserve.audit.links import record_url

    user = context["request"].user
    return record_url(user, entry.object_type, entry.object_id) or ""
