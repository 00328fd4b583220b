"""Reads for accounts."""

import hashlib
import json

from django.db.models import QuerySet
from django.utils import timezone

from equiserve.accounts.backends import DemoAwareModelBackend
from equiserve.accounts.models import ApiToken, Profile


def profile_of(user) -> Profile | None:
    """Return the user's profile, or None for anonymous users and bare superusers."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "profile", None)


def token_digest(key: str) -> str:
    """Return the SHA-256 of a bearer token, the only form in which it is stored."""
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


def account_state(user) -> str:
    """Return a digest of what a token's rights rest on (issue 10, finding 6).

    It changes with the password (through Django's session hash, as sessions do),
    the active, staff and superuser flags, and the profile's role, department,
    town and demo flag: any such change ends the account's tokens.
    """
    profile = getattr(user, "profile", None)
    state = {
        "password": user.get_session_auth_hash(),
        "active": user.is_active,
        "staff": user.is_staff,
        "superuser": user.is_superuser,
        "role": profile.role if profile else None,
        "department": profile.department if profile else None,
        "town": profile.town_id if profile else None,
        "demo": profile.is_demo if profile else None,
    }
    return hashlib.sha256(json.dumps(state, sort_keys=True).encode()).hexdigest()


def api_token_list(user) -> QuerySet[ApiToken]:
    """Return the user's tokens that still serve: not revoked, not expired."""
    return ApiToken.objects.filter(
        user=user, revoked_at__isnull=True, expires_at__gt=timezone.now()
    ).order_by("-created_at")


def api_token_live(key: str) -> ApiToken | None:
    """Return the token for `key` if it serves now, for an account as it was issued.

    Refused: unknown, revoked or expired tokens; inactive users; demo accounts
    outside demo mode; accounts whose password, role or reach changed since.
    """
    token = (
        ApiToken.objects.select_related("user", "user__profile")
        .filter(
            key_sha256=token_digest(key),
            revoked_at__isnull=True,
            expires_at__gt=timezone.now(),
        )
        .first()
    )
    if token is None:
        return None
    if not DemoAwareModelBackend().user_can_authenticate(token.user):
        return None
    if token.account_state != account_state(token.user):
        return None
    return token
