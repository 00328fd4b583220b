"""Who may see and change which facilities: one rule, used by pages, exports, API.

Everyone with a role sees the whole city, except a town officer, who sees
their own town only. A town that does not exist and a town one may not see
get the same 404, so codes cannot be probed.
"""

from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.geography.models import Town

IMPORT_ROLES = (Role.OFFICE, Role.DEPARTMENT)


def _profile(actor):
    if actor is None or not getattr(actor, "is_authenticated", False):
        return None
    return getattr(actor, "profile", None)


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


def can_import(actor) -> bool:
    """Return whether `actor` may import facilities or a road network."""
    if getattr(actor, "is_superuser", False):
        return True
    profile = _profile(actor)
    return profile is not None and profile.role in IMPORT_ROLES
