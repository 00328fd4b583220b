"""Who may see which persons and households: the one place the rules live.

Pages, the API, exports and the Django admin all call these functions (issue 4).
A record that does not exist and a record the user may not see raise the same
`Http404`, so ids cannot be probed.

- office, auditor and an administrator (`accounts.scope`): every town,
  read-only, no health details (the auditor also reads the audit log);
- town officer: their own town only, every programme;
- department officer: the persons the other apps bring before it
  (`registry.reach`): the cases app, those who appear in a case of one of the
  department's programmes, not their households (issue 10, finding 3: a case
  shows the officer its persons, nothing more); the housing app, the
  households on the housing department's waiting list and their members;
- health officer: like the health department, and the only role that sees
  health details (`PersonHealth`);
- anonymous users and users without a role: nothing.
"""

import uuid

from django.db.models import QuerySet
from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.accounts.scope import Scope, scope_of
from equiserve.registry.models import Household, Person, PersonHealth
from equiserve.registry.reach import persons_condition

NOT_FOUND = "no such person"


def person_list_for(user) -> QuerySet[Person]:
    """Return the persons `user` may see (an empty queryset for none)."""
    persons = Person.objects.all()
    scope = scope_of(user)
    if scope is None:
        return persons.none()
    if scope.role == Role.TOWN:
        return persons.filter(town_id=scope.town_code)
    if scope.role in (Role.DEPARTMENT, Role.HEALTH) and scope.acting_department:
        condition = persons_condition(scope)
        return persons.none() if condition is None else persons.filter(condition)
    if scope.role in (Role.OFFICE, Role.AUDITOR):
        return persons
    return persons.none()


def household_list_for(user) -> QuerySet[Household]:
    """Return the households `user` may see: those of a visible member.

    A town officer sees the households registered in their town.
    """
    households = Household.objects.all()
    scope = scope_of(user)
    if scope is None:
        return households.none()
    if scope.role == Role.TOWN:
        return households.filter(town_id=scope.town_code)
    if scope.role in (Role.OFFICE, Role.AUDITOR):
        return households
    # A case shows a department its persons, not their households' income,
    # assets and other members; housing applications are about households.
    condition = None
    if scope.role in (Role.DEPARTMENT, Role.HEALTH) and scope.acting_department:
        condition = persons_condition(scope, households=True)
    if condition is None:
        return households.none()
    visible = Person.objects.filter(condition, household__isnull=False)
    return households.filter(pk__in=visible.values("household_id"))


def sees_household(user, household: Household | None) -> bool:
    """Return whether `user` may open `household` (and its page of cases)."""
    return (
        household is not None
        and household_list_for(user).filter(pk=household.pk).exists()
    )


def public_uuid(value) -> uuid.UUID | None:
    """Return `value` as a UUID, or None when it is not one (never an error)."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError, AttributeError):
        return None


def access_person(user, public_id) -> Person:
    """Return the person with this public id if `user` may see them; else Http404.

    Persons are addressed by their random public id, never by the sequential
    pk (issue 10, finding 3).
    """
    key = public_uuid(public_id)
    if key is None:
        raise Http404(NOT_FOUND)
    person = (
        person_list_for(user)
        .select_related("town", "village", "household", "guardian")
        .filter(public_id=key)
        .first()
    )
    if person is None:
        raise Http404(NOT_FOUND)
    return person


def access_household(user, public_id) -> Household:
    """Return the household with this public id if `user` may see it; else Http404."""
    key = public_uuid(public_id)
    if key is None:
        raise Http404("no such household")
    household = (
        household_list_for(user)
        .select_related("town", "village")
        .filter(public_id=key)
        .first()
    )
    if household is None:
        raise Http404("no such household")
    return household


def exports_persons(user) -> bool:
    """Return whether `user` may export persons lists: town officers only.

    An export is bulk access (issue 10, finding 1): the town officers who keep
    their town's registry need it; the office, auditors and departments read
    records one by one.
    """
    scope = scope_of(user)
    return scope is not None and scope.role == Role.TOWN


def sees_health(user) -> bool:
    """Return whether `user` may read health details (health officers only)."""
    scope = scope_of(user)
    return scope is not None and scope.sees_health


def health_list_for(user) -> QuerySet[PersonHealth]:
    """Return the health records `user` may read: none unless a health role."""
    if not sees_health(user):
        return PersonHealth.objects.none()
    return PersonHealth.objects.filter(person__in=person_list_for(user))


def health_of(user, person: Person) -> PersonHealth | None:
    """Return the person's health record if `user` may read it and one exists."""
    return health_list_for(user).filter(person=person).first()


def reads_registry(user) -> bool:
    """Return whether `user` has a role that reads the registry at all."""
    return scope_of(user) is not None


def import_scope(user) -> Scope | None:
    """Return the scope under which `user` may import persons, or None.

    Town officers import into their own town; an administrator anywhere. The
    office and auditors are read-only; departments decide cases, they do not
    keep the registry.
    """
    scope = scope_of(user)
    if scope is not None and (scope.administers or scope.role == Role.TOWN):
        return scope
    return None


def imports_health(user) -> bool:
    """Return whether `user` may import health columns (administrators only)."""
    scope = scope_of(user)
    return scope is not None and scope.administers


def registration_town(user):
    """Return the town a town officer registers persons in at the window, or None.

    Only a town officer registers one person by hand, and only in their town
    (issue 14, deliverable 2); others import files or read.
    """
    from equiserve.geography.models import Town

    scope = scope_of(user)
    if scope is None or scope.role != Role.TOWN or not scope.town_code:
        return None
    return Town.objects.filter(code=scope.town_code).first()


def person_link(user, person_pk: str) -> str | None:
    """Return a person page's URL if `user` may open it (audit entries link it)."""
    from django.urls import reverse

    public_id = (
        person_list_for(user)
        .filter(pk=int(person_pk))
        .values_list("public_id", flat=True)
        .first()
    )
    return reverse("registry:person", args=[public_id]) if public_id else None


def household_link(user, household_pk: str) -> str | None:
    """Return a household page's URL if `user` may open it (audit entries link it)."""
    from django.urls import reverse

    public_id = (
        household_list_for(user)
        .filter(pk=int(household_pk))
        .values_list("public_id", flat=True)
        .first()
    )
    return reverse("registry:household", args=[public_id]) if public_id else None
