"""Who may see and act on which cases: the one place the rules live (issue 4).

Pages, the API, the export and the Django admin all call these functions. A
case that does not exist and a case the user may not see raise the same
`Http404`, so ids cannot be probed.

Seeing:
- office, auditor (and an administrator, see `accounts.scope`): every case,
  read-only;
- department officer: the cases of the programmes the department leads, city-wide;
- health officer: the health department's programmes; the only role that sees
  health details in a case (the type-1 diabetes facts and explanation);
- town officer: every programme's cases filed in their own town.

Health programmes (the health department's clauses 3.3.x) are named to health
officers only: every other role sees a neutral label beside a person, never
the programme (issue 10, finding 7).

Acting (`workflow` lists the actions):
- town officers register applications for persons of their town, update the
  facts, pre-check them (assess) and record appeals; they do not decide;
- a department registers a person it does not see yet only when given the
  person's ID number and name together (issue 10, finding 3): an officer's
  reach never grows by an action they take alone;
- the lead department does all that, decides (approve, reject, return),
  and records payments and services;
- the office and auditors act on nothing.
"""

from django.db.models import Q, QuerySet
from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.accounts.scope import Scope, acts_for, scope_of
from equiserve.cases.models import Case
from equiserve.cases.programmes import PROGRAMMES, programmes_of_department
from equiserve.cases.workflow import DEPARTMENT_ONLY
from equiserve.registry.models import Person
from equiserve.registry.permissions import person_list_for
from equiserve.registry.reach import PersonReach

NOT_FOUND = "no such case"


def case_list_for(user) -> QuerySet[Case]:
    """Return the cases `user` may see (an empty queryset for none)."""
    cases = Case.objects.all()
    scope = scope_of(user)
    if scope is None:
        return cases.none()
    if scope.role in (Role.OFFICE, Role.AUDITOR, Role.FINANCE):
        return cases
    if scope.role == Role.TOWN:
        return cases.filter(town_id=scope.town_code)
    if scope.role in (Role.DEPARTMENT, Role.HEALTH):
        return cases.filter(
            programme__in=programmes_of_department(scope.acting_department)
        )
    return cases.none()


def case_persons(scope: Scope) -> PersonReach | None:
    """Return the persons who appear in a case of the scope's department.

    Registered with the registry (`registry.reach`) in `CasesConfig.ready()`.
    Every link from a case to a person (the applicant, the claimant, any the
    cases app adds) counts as appearing in it; the households stay hidden
    (issue 10, finding 3).
    """
    if not scope.acting_department:
        return None
    programmes = list(programmes_of_department(scope.acting_department))
    links = [
        field.name
        for field in Case._meta.get_fields()
        if field.many_to_one and field.related_model is Person
    ]
    if not programmes or not links:
        return None
    cases = Case.objects.filter(programme__in=programmes)
    condition = Q()
    for link in links:
        condition |= Q(pk__in=cases.values(f"{link}_id"))
    return PersonReach(persons=condition)


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


def may_act(user, case: Case, action: str) -> bool:
    """Return whether `user`'s role lets them take `action` on a case they can see."""
    scope = scope_of(user)
    if scope is None or scope.read_only:
        return False
    if acts_for(user, PROGRAMMES[case.programme].department):
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
    """Return the persons `user` may find by a number alone to register them.

    A town officer finds the persons of their town; a department officer only
    the persons it already sees (those of its cases). A department reaches a
    new person by ID number and name together (`identified_person`), so that
    guessing numbers opens no record (issue 10, finding 3).
    """
    scope = scope_of(user)
    if scope is None or scope.read_only:
        return Person.objects.none()
    if scope.role == Role.TOWN:
        return Person.objects.filter(town_id=scope.town_code)
    if scope.role in (Role.DEPARTMENT, Role.HEALTH) and scope.acting_department:
        return person_list_for(user)
    return Person.objects.none()


def identified_person(user, id_number: str, name: str) -> Person | None:
    """Return the person a department names by full ID number and name together.

    Departments work city-wide: an applicant who comes to them shows an ID
    card, so both are known; either one alone finds no one.
    """
    scope = scope_of(user)
    id_number, name = (id_number or "").strip().upper(), (name or "").strip()
    if scope is None or scope.read_only or not scope.acting_department:
        return None
    if scope.role not in (Role.DEPARTMENT, Role.HEALTH) or not id_number or not name:
        return None
    return Person.objects.filter(id_number=id_number, name=name).first()


def may_register_for(user, person: Person) -> bool:
    """Return whether `user` may register an application for a person in hand.

    A town officer registers the persons of their town; a department any
    person of the city (found as `applicant_lookup_for` and
    `identified_person` allow).
    """
    scope = scope_of(user)
    if scope is None or scope.read_only:
        return False
    if scope.role == Role.TOWN:
        return person.town_id == scope.town_code
    return scope.role in (Role.DEPARTMENT, Role.HEALTH) and bool(
        scope.acting_department
    )


def is_health_programme(code: str) -> bool:
    """Return whether a programme tells of a person's health (issue 10, finding 7).

    The health department's clauses 3.3.x (type-1 diabetes care, the migrant
    family-planning services of 3.3.4) and any programme marked `health`.
    """
    programme = PROGRAMMES[code]
    return programme.health or (
        programme.department == "health" and programme.clause.startswith("3.3")
    )


def shows_programme(user, code: str) -> bool:
    """Return whether `user` may see which programme a case is under."""
    if not is_health_programme(code):
        return True
    scope = scope_of(user)
    return scope is not None and scope.sees_health


def sees_health_details(user, case: Case) -> bool:
    """Return whether `user` may see the case's health facts and explanation."""
    return shows_programme(user, case.programme)


def exports_cases(user) -> bool:
    """Return whether `user` may export case lists: the roles that work cases.

    An export is bulk access (issue 10, finding 1); the office and auditors
    read cases one by one.
    """
    scope = scope_of(user)
    return scope is not None and not scope.read_only


def reads_cases(user) -> bool:
    """Return whether `user` has a role that reads cases at all."""
    return scope_of(user) is not None


def imports_cases(user) -> bool:
    """Return whether `user` may import applications (anyone who registers them)."""
    return bool(registrable_programmes(user))


def case_link(user, case_id: str) -> str:
    """Return the case page's URL if `user` may open it (audit entries link it)."""
    from django.urls import reverse

    return reverse("cases:case", args=[access_case(user, case_id).pk])
