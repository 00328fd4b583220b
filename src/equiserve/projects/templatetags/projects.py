"""Labels for the projects pages: departments, statuses, towns, names in the reader's language."""

from django import template
from django.utils.translation import get_language

from equiserve.accounts.models import Department
from equiserve.formatting import town_name
from equiserve.projects.models import ProjectStatus

register = template.Library()


@register.filter
def department_label(code: str) -> str:
    return str(dict(Department.choices).get(code, code))


@register.filter
def project_status_label(code: str) -> str:
    return str(dict(ProjectStatus.choices).get(code, code))


@register.filter
def town(code: str) -> str:
    return town_name(code)


@register.filter
def local_name(record) -> str:
    """Return a record's English name in English (when it has one), else its name."""
    english = (get_language() or "").startswith("en")
    return (getattr(record, "name_en", "") if english else "") or record.name


@register.filter
def reads_projects(user) -> bool:
    from equiserve.projects.permissions import reads_projects as reads

    return reads(user)
