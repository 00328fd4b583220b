"""Who may see and record disability services: the one place the rules live.

- the Disabled Persons' Federation (a department officer of
  `disabled-federation`): every town, registers persons and records services;
- town officer: their own town's register and coverage, and records there;
- office, auditor and an administrator: every town, read-only;
- every other department, health officers, anonymous users: nothing (404,
  like a missing record).

Pages, the API and the exports all call these functions; the town rules come
from `accounts.scope`.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from equiserve.accounts.models import Department, Role
from equiserve.accounts.scope import ALL_TOWNS, Scope, acts_for, scope_of
from equiserve.disability.models import DisabilityRecord
from equiserve.registry.reach import PersonReach

NOT_FOUND = "no such disability record"
FEDERATION = Department.DISABLED_FEDERATION


def _federation(scope: Scope) -> bool:
    return scope.role == Role.DEPARTMENT and scope.department == FEDERATION


def reads_disability(user) -> bool:
    """Return whether `user` reads the register and its coverage at all."""
    scope = scope_of(user)
    return scope is not None and (
        scope.administers
        or _federation(scope)
        or scope.role in (Role.OFFICE, Role.AUDITOR, Role.TOWN)
    )


def require_reader(user) -> None:
    if not reads_disability(user):
        raise Http404(NOT_FOUND)


def records(user) -> bool:
    """Return whether `user` registers persons and records services (in their towns)."""
    scope = scope_of(user)
    return scope is not None and (
        acts_for(user, FEDERATION)
        or (scope.role == Role.TOWN and bool(scope.town_code))
    )


def require_recorder(user) -> None:
    """Raise 404 for non-readers, 403 for readers who record nothing."""
    require_reader(user)
    if not records(user):
        raise PermissionDenied("the federation and town officers record services")


def towns_of(user) -> list[str] | None:
    """Return the towns `user` reads: `ALL_TOWNS` or a list (after `require_reader`)."""
    return scope_of(user).towns


def record_list_for(user) -> QuerySet[DisabilityRecord]:
    """Return the register in `user`'s scope (empty for no reader)."""
    qs = DisabilityRecord.objects.select_related("person", "person__town")
    if not reads_disability(user):
        return qs.none()
    towns = towns_of(user)
    return qs if towns is ALL_TOWNS else qs.filter(person__town_id__in=towns)


def access_record(user, pk) -> DisabilityRecord:
    """Return the record if `user` may read it; the one 404 otherwise."""
    try:
        key = int(pk)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None
    record = record_list_for(user).filter(pk=key).first()
    if record is None:
        raise Http404(NOT_FOUND)
    return record


def access_record_for_change(user, pk) -> DisabilityRecord:
    record = access_record(user, pk)
    if not records(user):
        raise PermissionDenied("the federation and town officers record services")
    return record


def federation_persons(scope: Scope) -> PersonReach | None:
    """Bring the register's persons before the federation in the registry."""
    if _federation(scope):
        return PersonReach(persons=Q(disability__isnull=False))
    return None
