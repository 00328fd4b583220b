"""What a user may see and do, derived once from their profile.

Every app's `permissions.py` starts from `scope_of(user)`; the rules per role
(issue 4) live here and in those modules, nowhere else.
"""

from dataclasses import dataclass

from equiserve.accounts.models import Role


@dataclass(frozen=True)
class Scope:
    role: str
    department: str = ""
    town_code: str = ""

    @property
    def all_towns(self) -> bool:
        """Office, auditors and departments work city-wide; town officers in one town."""
        return self.role != Role.TOWN

    @property
    def sees_health(self) -> bool:
        """Health details (type-1 diabetes, mental health) are for health roles only."""
        return self.role == Role.HEALTH

    @property
    def read_only(self) -> bool:
        return self.role in (Role.OFFICE, Role.AUDITOR)

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


def scope_of(user) -> Scope | None:
    """Return the user's scope, or None when they may see no personal data at all."""
    if not getattr(user, "is_authenticated", False):
        return NO_SCOPE
    profile = getattr(user, "profile", None)
    if profile is None:
        # A superuser without a profile administers the system but reads like the office.
        return Scope(role=Role.OFFICE) if user.is_superuser else NO_SCOPE
    return Scope(
        role=profile.role,
        department=profile.department,
        town_code=profile.town_id or "",
    )
