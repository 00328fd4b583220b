"""Who may see and do what in monitoring: the one place the rules live.

- office (and an administrator, see `accounts.scope`): every report and
  figure; reviews reports (returns or approves them); writes none;
- auditor: reads everything, writes nothing;
- department officer (the health officer for the health department): writes
  its department's report and enters the values of the indicators it owns, for
  any town;
- town officer: writes its town's report and enters its town's values; sees its
  own town only — another town's report is a 404, exactly like a missing one.

Aggregate figures (counts, rates) are not personal data: every role with a
profile sees the city's and the towns' values, except town officers, who see
their own town (`accounts.scope.visible_towns` and `access_town`, re-exported
here for the views).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.accounts.scope import Scope, access_town, scope_of, visible_towns
from equiserve.monitoring.definitions import Indicator
from equiserve.monitoring.models import Report
from equiserve.monitoring.sources import CITY_PLACE

__all__ = [
    "access_report",
    "access_town",
    "author_of",
    "enters",
    "reads_all_reports",
    "reads_monitoring",
    "report_list_for",
    "reviews_reports",
    "visible_towns",
    "writes_report",
]

NOT_FOUND = "no such report"


def _scope(user) -> Scope | None:
    return scope_of(user)


def reads_monitoring(user) -> bool:
    """Return whether `user` may open monitoring pages at all."""
    return _scope(user) is not None


def report_list_for(user) -> QuerySet[Report]:
    """Return the reports `user` may read."""
    reports = Report.objects.select_related("town")
    scope = _scope(user)
    if scope is None:
        return reports.none()
    if reads_all_reports(user):
        return reports
    if scope.role == Role.TOWN:
        return reports.filter(kind=Report.Kind.TOWN, town_id=scope.town_code)
    if scope.acting_department:
        return reports.filter(
            kind=Report.Kind.DEPARTMENT, department=scope.acting_department
        )
    return reports.none()


def reads_all_reports(user) -> bool:
    """Return whether `user` reads every report (the office and auditors)."""
    scope = _scope(user)
    return scope is not None and scope.role in (Role.OFFICE, Role.AUDITOR)


def access_report(user, report_id) -> Report:
    """Return the report if `user` may read it; raise Http404 otherwise."""
    try:
        pk = int(report_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    report = report_list_for(user).filter(pk=pk).first()
    if report is None:
        raise Http404(NOT_FOUND)
    return report


def author_of(user) -> tuple[str, str, str] | None:
    """Return (kind, department, town) of the report `user` writes, or None."""
    scope = _scope(user)
    if scope is None:
        return None
    if scope.role == Role.TOWN and scope.town_code:
        return Report.Kind.TOWN, "", scope.town_code
    if scope.role in (Role.DEPARTMENT, Role.HEALTH) and scope.acting_department:
        return Report.Kind.DEPARTMENT, scope.acting_department, ""
    return None


def writes_report(user, report: Report) -> bool:
    """Return whether `user` is the report's author (its department or town)."""
    author = author_of(user)
    if author is None:
        return False
    kind, department, town = author
    if report.kind != kind:
        return False
    if kind == Report.Kind.TOWN:
        return report.town_id == town
    return report.department == department


def reviews_reports(user) -> bool:
    """Return whether `user` returns and approves reports (the office)."""
    scope = _scope(user)
    return scope is not None and scope.role == Role.OFFICE


def enters(user, indicator: Indicator, place: str) -> bool:
    """Return whether `user` may enter values of `indicator` for `place`.

    The owning department enters for the city and every town; a town officer
    for their own town.
    """
    if not indicator.entered_terms:
        return False
    scope = _scope(user)
    if scope is None:
        return False
    if scope.role == Role.TOWN:
        return place == scope.town_code
    if scope.role in (Role.DEPARTMENT, Role.HEALTH):
        return scope.acting_department == indicator.owner and (
            place == CITY_PLACE or len(place) == 9
        )
    return False
