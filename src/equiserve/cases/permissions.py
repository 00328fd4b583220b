"""Who may see and act on which cases: the one place the rules live (issue 4).

Pages, the API, the export and the Django admin all call these functions. A
case that does not exist and a case the user may not see raise the same
`Http404`, so ids cannot be probed.

Seeing:
- office, auditor (and a superuser without a profile): every case, read-only;
- department officer: the cases of the programmes the department leads, city-wide;
- health officer: the health department's programmes; the only role that sees
  health details in a case (the type-1 diabetes facts and explanation);
- town officer: every programme's cases filed in their own town.

Acting (`workflow` lists the actions):
- town officers register applications for persons of their town, update the
  facts, pre-check them (assess) and record appeals; they do not decide;
- the lead department does all that, decides (approve, reject, return),
  and records payments and services;
- the office and auditors act on nothing.
"""

from django.db.models import QuerySet
from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.accounts.scope import Scope, scope_of
from equiserve.cases.models import Case
from equiserve.cases.programmes import PROGRAMMES, programmes_of_department
from equiserve.cases.workflow import DEPARTMENT_ONLY
from equiserve.registry.models import Person

NOT_FOUND = "no such case"


def case_list_for(user) -> QuerySet[Case]:
    """Return the cases `user` may see (an empty queryset for none)."""
    cases = Case.objects.all()
    scope = scope_of(user)
    if scope is None:
        return cases.none()
    if scope.role in (Role.OFFICE, Role.AUDITOR):
        return cases
    if scope.role == Role.TOWN:
        return cases.filter(town_id=scope.town_code)
    if scope.role in (Role.DEPARTMENT, Role.HEALTH):
        return cases.filter(
            programme__in=programmes_of_department(scope.acting_department)
        )
    return cases.none()


def access_case(user, case_id) -> Case:
    """Return the case if `user` may see it; raise Http404 otherwise."""
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    case = (
        case_list_for(user)
        .select_related(
            "applicant", "applicant__household", "claimant", "town", "household"
        )
        .filter(pk=pk)
        .first()
    )
    if case is None:
        raise Http404(NOT_FOUND)
    return case


def _leads(scope: Scope | None, programme_code: str) -> bool:
    return (
        scope is not None
        and scope.role in (Role.DEPARTMENT, Role.HEALTH)
        and PROGRAMMES[programme_code].department == scope.acting_department
    )


def may_act(user, case: Case, action: str) -> bool:
    """Return whether `user`'s role lets them take `action` on a case they can see."""
    scope = scope_of(user)
    if scope is None or scope.read_only:
        return False
    if _leads(scope, case.programme):
        return True
    if action in DEPARTMENT_ONLY:
        return False
    return scope.role == Role.TOWN and case.town_id == scope.town_code


def registrable_programmes(user) -> list[str]:
    """Return the programmes `user` may register applications for."""
    scope = scope_of(user)
    if scope is None or scope.read_only:
        return []
    if scope.role == Role.TOWN:
        return list(PROGRAMMES)
    if scope.role in (Role.DEPARTMENT, Role.HEALTH):
        return programmes_of_department(scope.acting_department)
    return []


def applicant_lookup_for(user) -> QuerySet[Person]:
    """Return the persons `user` may register an application for.

    A town officer registers the persons of their town; a department officer
    any person of the city, found by their exact number (a department works
    city-wide; once the case exists the registry shows them the person).
    """
    scope = scope_of(user)
    if scope is None or scope.read_only:
        return Person.objects.none()
    if scope.role == Role.TOWN:
        return Person.objects.filter(town_id=scope.town_code)
    if scope.role in (Role.DEPARTMENT, Role.HEALTH) and scope.acting_department:
        return Person.objects.all()
    return Person.objects.none()


def sees_health_details(user, case: Case) -> bool:
    """Return whether `user` may see the case's health facts and explanation."""
    if not PROGRAMMES[case.programme].health:
        return True
    scope = scope_of(user)
    return scope is not None and scope.sees_health


def reads_cases(user) -> bool:
    """Return whether `user` has a role that reads cases at all."""
    return scope_of(user) is not None


def imports_cases(user) -> bool:
    """Return whether `user` may import applications (anyone who registers them)."""
    return bool(registrable_programmes(user))
