"""Who may see and change which facilities: one rule, used by pages, exports, CLI.

Everyone with a role sees the whole city, except a town officer, who sees
their own town only. A town that does not exist and a town one may not see
get the same 404, so codes cannot be probed.

Writes are scoped like reads (issue 10, finding 4): a department officer
writes the kinds of facility its department runs, in any town; a town officer
any kind, in its own town; the office, auditors and health officers never
write. Imports, page forms, the admin and the command line all ask
`may_write_facility`, for a facility's state before and after the change.
"""

from django.http import Http404

from equiserve.accounts.models import Department, Role
from equiserve.accounts.scope import scope_of
from equiserve.facilities.models import Kind
from equiserve.geography.models import Town

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


def _profile(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return getattr(actor, "profile", None)


def _administers(actor) -> bool:
    """An active superuser administers the system and may write any facility."""
    return bool(
        getattr(actor, "is_superuser", False) and getattr(actor, "is_active", False)
    )


def visible_town_codes(actor) -> list[str] | None:
    """Return the town codes `actor` may see, or None for the whole city."""
    if getattr(actor, "is_superuser", False):
        return None
    profile = _profile(actor)
    if profile is None:
        return []
    if profile.role == Role.TOWN:
        return [profile.town_id]
    return None


def access_town(actor, code: str) -> Town:
    """Return the town with `code` if `actor` may see it; raise Http404 otherwise."""
    visible = visible_town_codes(actor)
    if visible is not None and code not in visible:
        raise Http404("no such town")
    try:
        return Town.objects.get(code=code)
    except Town.DoesNotExist:
        raise Http404("no such town") from None


def may_write_facility(actor, *, kind: str, town_code: str) -> bool:
    """Return whether `actor` may create, change or remove a `kind` in `town_code`."""
    if _administers(actor):
        return True
    scope = scope_of(actor)
    if scope is None or scope.read_only:
        return False
    if scope.role == Role.DEPARTMENT:
        return KIND_DEPARTMENTS.get(kind) == scope.department
    if scope.role == Role.TOWN:
        return bool(town_code) and town_code == scope.town_code
    return False


def writes_facilities(actor) -> bool:
    """Return whether `actor` may write some facility (the import page and its link)."""
    if _administers(actor):
        return True
    scope = scope_of(actor)
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
    if _administers(actor):
        return True
    scope = scope_of(actor)
    return (
        scope is not None
        and scope.role == Role.DEPARTMENT
        and scope.department == Department.SPORTS
    )
