"""Who may see and change which facilities: one rule, used by pages, exports, CLI.

Everyone with a role sees the whole city, except a town officer, who sees
their own town only: `accounts.scope.visible_towns` and `access_town` (a town
that does not exist and a town one may not see get the same 404).

Writes are scoped like reads (issue 10, finding 4): a department officer
writes the kinds of facility its department runs, in any town; a town officer
any kind, in its own town; the office, auditors and health officers never
write; an administrator (`Scope.administers`) writes any. Imports, page forms,
the admin and the command line all ask `may_write_facility`, for a facility's
state before and after the change.
"""

from equiserve.accounts.models import Department, Role
from equiserve.accounts.scope import scope_of
from equiserve.facilities.models import Kind

# The lead department of each kind of facility (the plan's section 3: culture
# 3.2.2 市文化广电新闻出版局, sports 3.6 市体育局, schools 3.1.3 市教育局,
# disability services 3.9 市残联). Said once; the writes follow it.
KIND_DEPARTMENTS: dict[str, str] = {
    Kind.CULTURE_CENTRE: Department.CULTURE,
    Kind.LIBRARY: Department.CULTURE,
    Kind.CULTURE_VENUE: Department.CULTURE,
    Kind.TOWN_PLAZA: Department.CULTURE,
    Kind.CULTURE_ROOM: Department.CULTURE,
    Kind.VILLAGE_PLAZA: Department.CULTURE,
    Kind.SPORTS_GROUND: Department.SPORTS,
    Kind.FITNESS_GROUND: Department.SPORTS,
    Kind.GUIDANCE_STATION: Department.SPORTS,
    Kind.SENIOR_HIGH: Department.EDUCATION,
    Kind.VOCATIONAL_SCHOOL: Department.EDUCATION,
    Kind.DISABILITY_SERVICE: Department.DISABLED_FEDERATION,
}


def may_write_facility(actor, *, kind: str, town_code: str) -> bool:
    """Return whether `actor` may create, change or remove a `kind` in `town_code`."""
    scope = scope_of(actor)
    if scope is not None and scope.administers:
        return True
    if scope is None or scope.read_only:
        return False
    if scope.role == Role.DEPARTMENT:
        return KIND_DEPARTMENTS.get(kind) == scope.department
    if scope.role == Role.TOWN:
        return bool(town_code) and town_code == scope.town_code
    return False


def writes_facilities(actor) -> bool:
    """Return whether `actor` may write some facility (the import page and its link)."""
    scope = scope_of(actor)
    if scope is not None and scope.administers:
        return True
    if scope is None or scope.read_only:
        return False
    if scope.role == Role.DEPARTMENT:
        return scope.department in KIND_DEPARTMENTS.values()
    return scope.role == Role.TOWN


def may_import_road_network(actor) -> bool:
    """Return whether `actor` may replace the city-wide walking network.

    The network decides the whole fitness circle (3.6.1, the Sports Bureau's),
    so only that bureau and administrators replace it.
    """
    scope = scope_of(actor)
    if scope is not None and scope.administers:
        return True
    return (
        scope is not None
        and scope.role == Role.DEPARTMENT
        and scope.department == Department.SPORTS
    )
