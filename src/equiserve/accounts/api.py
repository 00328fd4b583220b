"""API authentication: `POST /api/v1/auth/token`, then `Authorization: Bearer <token>`."""

import hashlib
import secrets
from datetime import timedelta

from django.contrib.auth import authenticate
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from equiserve.accounts.models import ApiToken
from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record

TOKEN_LIFETIME = timedelta(hours=12)

router = Router(tags=["auth"])


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode("ascii", "replace")).hexdigest()


class BearerAuth(HttpBearer):
    """Accept a live token; the request's user becomes the token's user."""

    def authenticate(self, request, token: str):
        row = (
            ApiToken.objects.select_related("user", "user__profile")
            .filter(key_sha256=_digest(token), expires_at__gt=timezone.now())
            .first()
        )
        if row is None or not row.user.is_active:
            return None
        ApiToken.objects.filter(pk=row.pk).update(last_used_at=timezone.now())
        request.user = row.user
        return row.user


class TokenRequest(Schema):
    username: str
    password: str


class TokenResponse(Schema):
    token: str
    expires_at: str


@router.post(
    "/auth/token", response={200: TokenResponse}, auth=None, summary="Obtain a token"
)
def obtain_token(request, credentials: TokenRequest):
    """Exchange a user name and password for a bearer token valid for 12 hours."""
    user = authenticate(
        request, username=credentials.username, password=credentials.password
    )
    if user is None:
        audit_record(
            actor=None,
            action=AuditEntry.Action.LOGIN_FAILED,
            object_type="auth.user",
            summary=f"API token refused for {credentials.username[:100]}",
            request=request,
        )
        raise HttpError(401, _("Wrong user name or password."))
    key = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user,
        key_sha256=_digest(key),
        expires_at=timezone.now() + TOKEN_LIFETIME,
    )
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        object_type="auth.user",
        object_id=user.pk,
        summary="API token issued",
        request=request,
    )
    return {"token": key, "expires_at": token.expires_at.isoformat()}
