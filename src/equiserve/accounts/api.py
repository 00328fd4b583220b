"""API authentication: `POST /api/v1/auth/token`, then `Authorization: Bearer <token>`.

A token lasts settings.API_TOKEN_LIFETIME (8 hours by default), serves only while
its account stays as it was issued, and can be listed and revoked by its owner
(issue 10, finding 6). Token requests count towards the login lockout like the
login page does (issue 10, finding 10).
"""

from datetime import datetime

from django.conf import settings
from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.errors import HttpError
from ninja.security import HttpBearer

from equiserve.accounts.lockout import lockout_message
from equiserve.accounts.models import ApiToken
from equiserve.accounts.permissions import access_api_token
from equiserve.accounts.selectors import api_token_list, api_token_live
from equiserve.accounts.services import (
    api_token_issue,
    api_token_touch,
    api_tokens_revoke,
    api_tokens_revoke_all,
)
from equiserve.api_errors import ApiError

router = Router(tags=["auth"])


class BearerAuth(HttpBearer):
    """Accept a live token; the request's user becomes the token's user."""

    def authenticate(self, request, token: str):
        row = api_token_live(token)
        if row is None:
            return None
        api_token_touch(row)
        request.user = row.user
        request.api_token = row
        return row.user


class TokenRequest(Schema):
    # The lock-out log stores the user name as sent: no longer than Django's
    # 150 characters, and without NUL, which PostgreSQL cannot store in text.
    username: str = Field(max_length=150, pattern=r"^[^\x00]*$")
    password: str = Field(max_length=4096)


class TokenResponse(Schema):
    token: str
    token_id: int
    expires_at: datetime
    expires_in: int


class TokenOut(Schema):
    id: int
    created_at: datetime
    expires_at: datetime
    last_used_at: datetime | None
    current: bool


class Revoked(Schema):
    revoked: int


@router.post(
    "/auth/token",
    response={200: TokenResponse, 401: ApiError, 429: ApiError},
    auth=None,
    summary="Obtain a token",
)
def obtain_token(request, credentials: TokenRequest):
    """Exchange a user name and password for a bearer token valid for 8 hours."""
    user = authenticate(
        request, username=credentials.username, password=credentials.password
    )
    if getattr(request, "axes_locked_out", False):
        raise HttpError(429, lockout_message())
    if user is None:
        raise HttpError(401, _("Wrong user name or password."))
    key, token = api_token_issue(user=user, request=request)
    return {
        "token": key,
        "token_id": token.pk,
        "expires_at": token.expires_at,
        "expires_in": int(settings.API_TOKEN_LIFETIME.total_seconds()),
    }


def _out(token: ApiToken, request) -> dict:
    return {
        "id": token.pk,
        "created_at": token.created_at,
        "expires_at": token.expires_at,
        "last_used_at": token.last_used_at,
        "current": token.pk == request.api_token.pk,
    }


@router.get(
    "/auth/tokens",
    response=list[TokenOut],
    auth=BearerAuth(),
    summary="My tokens that still serve",
)
def list_tokens(request):
    """List the caller's tokens that are neither revoked nor expired, newest first."""
    return [_out(token, request) for token in api_token_list(request.user)]


@router.delete(
    "/auth/tokens/{token_id}",
    response={200: Revoked, 404: ApiError},
    auth=BearerAuth(),
    summary="Revoke one of my tokens",
)
def revoke_token(request, token_id: int):
    """Revoke one of the caller's tokens (the one in use too, which logs out)."""
    token = access_api_token(request.user, token_id)
    tokens = ApiToken.objects.filter(pk=token.pk)
    return {
        "revoked": api_tokens_revoke(tokens=tokens, actor=request.user, request=request)
    }


@router.delete(
    "/auth/tokens",
    response=Revoked,
    auth=BearerAuth(),
    summary="Revoke all my tokens",
)
def revoke_all_tokens(request):
    """Revoke every token of the caller, the one in use included."""
    return {
        "revoked": api_tokens_revoke_all(
            user=request.user, actor=request.user, request=request
        )
    }
