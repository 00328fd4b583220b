"""Reads for accounts."""

from equiserve.accounts.models import Profile


def profile_of(user) -> Profile | None:
    """Return the user's profile, or None for anonymous users and bare superusers."""
    if not getattr(user, "is_authenticated", False):
        return None
    return getattr(user, "profile", None)
