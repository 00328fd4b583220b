"""What a user may see and do, derived once from their profile (issues 4 and 11).

Every app's `permissions.py` starts from `scope_of(user)`; the rules per role
live here and in those modules, nowhere else. This module answers the
questions every app asks the same way:

- which towns: `visible_towns(user)` is `ALL_TOWNS` (None) for the whole
  city, a list of codes otherwise (empty for none) — the one way to say
  "all towns"; `sees_town`, `town_list_for` and `access_town` follow it;
- which department: `Scope.acting_department` and `acts_for(user, department)`;
- a programme is its lead department's: an app asks `acts_for` with it.

A superuser means one thing everywhere: an active superuser administers the
system. They read every town like the office, whatever profile they also have
(they could rewrite that profile in the admin, so it bounds nothing), decide no
case and write no report; each app lets them do its administrative writes
through `Scope.administers` (the admin, imports, facilities, housing stock and
rounds). An inactive superuser is nobody.
"""

from dataclasses import dataclass

from django.db.models import QuerySet
from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.geography.models import Town

# The one way to say "every town": `visible_towns` returns it.
ALL_TOWNS = None

TOWN_NOT_FOUND = "no such town"


@dataclass(frozen=True)
class Scope:
    role: str
    department: str = ""
    town_code: str = ""
    administers: bool = False

    @property
    def all_towns(self) -> bool:
        """Office, auditors and departments work city-wide; town officers in one town."""
        return self.role != Role.TOWN

    @property
    def towns(self) -> list[str] | None:
        """Return the towns this scope reaches: `ALL_TOWNS` or one town's code."""
        return ALL_TOWNS if self.all_towns else [self.town_code]

    @property
    def sees_health(self) -> bool:
        """Health details (type-1 diabetes, mental health) are for health roles only."""
        return self.role == Role.HEALTH

    @property
    def read_only(self) -> bool:
        return self.role in (Role.OFFICE, Role.AUDITOR, Role.FINANCE)

    @property
    def reads_audit_log(self) -> bool:
        return self.role == Role.AUDITOR

    @property
    def acting_department(self) -> str:
        """The department whose programmes this user decides ('' for none)."""
        if self.role == Role.HEALTH:
            return "health"
        return self.department if self.role == Role.DEPARTMENT else ""


NO_SCOPE = None


def administers(user) -> bool:
    """Return whether `user` is an active superuser (the system's administrator)."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "is_superuser", False)
        and getattr(user, "is_active", False)
    )


def scope_of(user) -> Scope | None:
    """Return the user's scope, or None when they may see no personal data at all."""
    if not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    if administers(user):
        return Scope(role=Role.OFFICE, administers=True)
    profile = getattr(user, "profile", None)
    if profile is None:
        return NO_SCOPE
    return Scope(
        role=profile.role,
        department=profile.department,
        town_code=profile.town_id or "",
    )


def visible_towns(user) -> list[str] | None:
    """Return the towns `user` may see: `ALL_TOWNS`, one town, or [] for none."""
    scope = scope_of(user)
    return [] if scope is None else scope.towns


def sees_town(user, code: str) -> bool:
    """Return whether `user` may see the town (or place) with `code`."""
    towns = visible_towns(user)
    return towns is ALL_TOWNS or code in towns


def town_list_for(user) -> QuerySet[Town]:
    """Return the towns `user` may see (and filter by), in code order."""
    towns = Town.objects.order_by("code")
    visible = visible_towns(user)
    return towns if visible is ALL_TOWNS else towns.filter(code__in=visible)


def access_town(user, code) -> Town:
    """Return the town with `code` if `user` may see it; raise Http404 otherwise.

    A town that does not exist and one the user may not see are the same 404,
    so codes cannot be probed.
    """
    town = town_list_for(user).filter(code=str(code or "")).first()
    if town is None:
        raise Http404(TOWN_NOT_FOUND)
    return town


def acts_for(user, department: str) -> bool:
    """Return whether `user` acts for `department` (decides its programmes)."""
    scope = scope_of(user)
    return (
        scope is not None
        and bool(department)
        and not scope.read_only
        and scope.acting_department == department
    )
