"""Audit every login, failed login and logout, web, admin and API alike (issue 10, finding 10).

Django announces these through its auth signals, the one place every login path
passes (the login page, the admin, the API token endpoint's authenticate()).
"""

from django.contrib.auth.signals import (
    user_logged_in,
    user_logged_out,
    user_login_failed,
)
from django.dispatch import receiver

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.registry.privacy import looks_like_id_number, mask_id_number

USER = "auth.user"


def _channel(request) -> str:
    path = getattr(request, "path_info", "") or ""
    return "api" if path.startswith("/api/") else "web"


def attempted_username(credentials: dict | None) -> str:
    """Return the user name tried, masked when someone typed an ID number instead."""
    username = str((credentials or {}).get("username") or "").strip()[:150]
    return mask_id_number(username) if looks_like_id_number(username) else username


@receiver(user_logged_in, dispatch_uid="equiserve.audit_login")
def audit_login(sender, request, user, **kwargs) -> None:
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        object_type=USER,
        object_id=user.pk,
        summary=f"logged in ({_channel(request)})",
        request=request,
    )


@receiver(user_login_failed, dispatch_uid="equiserve.audit_login_failed")
def audit_login_failed(sender, credentials, request=None, **kwargs) -> None:
    # Never the password: Django has already blanked it, and only the name is read.
    username = attempted_username(credentials)
    locked_out = bool(getattr(request, "axes_locked_out", False))
    audit_record(
        actor=None,
        action=AuditEntry.Action.LOGIN_FAILED,
        object_type=USER,
        summary=f"login refused for {username[:100]!r} ({_channel(request)})"
        + (", locked out" if locked_out else ""),
        changes={"username": username, "locked_out": locked_out},
        request=request,
    )


@receiver(user_logged_out, dispatch_uid="equiserve.audit_logout")
def audit_logout(sender, request, user, **kwargs) -> None:
    if user is None:
        return
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGOUT,
        object_type=USER,
        object_id=user.pk,
        summary=f"logged out ({_channel(request)})",
        request=request,
    )
