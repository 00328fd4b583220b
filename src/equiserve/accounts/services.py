"""Writes for accounts."""

import datetime as dt
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from equiserve.accounts.models import ApiToken, Department, Profile, Role
from equiserve.accounts.selectors import account_state, api_token_list, token_digest
from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.geography.models import Town

TOKEN = "accounts.apitoken"


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    department: str = ""
    town_code: str = ""

    @property
    def password(self) -> str:
        return f"demo-{self.username}"


DEMO_ACCOUNTS: tuple[DemoAccount, ...] = (
    DemoAccount("office", Role.OFFICE),
    *(
        DemoAccount(
            department.value,
            Role.HEALTH if department == Department.HEALTH else Role.DEPARTMENT,
            department=department.value,
        )
        for department in Department
    ),
    # A second civil-affairs officer, to show the maker-checker rule (issue 4).
    DemoAccount("civil-affairs-checker", Role.DEPARTMENT, department="civil-affairs"),
    DemoAccount("town-xiaolan", Role.TOWN, town_code="442000100"),
    DemoAccount("town-guzhen", Role.TOWN, town_code="442000105"),
    DemoAccount("auditor", Role.AUDITOR),
    DemoAccount("finance", Role.FINANCE),
)


class DemoModeRequired(RuntimeError):
    pass


@transaction.atomic
def demo_accounts_create() -> list[DemoAccount]:
    """Create (or reset) the published demo accounts; demo mode only."""
    if not settings.DEMO_MODE:
        raise DemoModeRequired(
            "demo accounts exist only in demo mode (EQUISERVE_DEMO=1)"
        )
    user_model = get_user_model()
    for account in DEMO_ACCOUNTS:
        user, _ = user_model.objects.get_or_create(username=account.username)
        user.set_password(account.password)
        user.is_staff = account.role in (Role.OFFICE, Role.AUDITOR)
        user.full_clean()
        user.save()
        town = Town.objects.get(code=account.town_code) if account.town_code else None
        profile = Profile.objects.filter(user=user).first() or Profile(user=user)
        profile.role = account.role
        profile.department = account.department
        profile.town = town
        profile.is_demo = True
        profile.full_clean(validate_unique=False)
        profile.save()
    return list(DEMO_ACCOUNTS)


@transaction.atomic
def api_token_issue(*, user, request=None) -> tuple[str, ApiToken]:
    """Issue a bearer token to an authenticated user; return the key, shown once."""
    key = secrets.token_urlsafe(32)
    token = ApiToken(
        user=user,
        key_sha256=token_digest(key),
        account_state=account_state(user),
        expires_at=timezone.now() + settings.API_TOKEN_LIFETIME,
    )
    token.full_clean()
    token.save()
    audit_record(
        actor=user,
        action=AuditEntry.Action.LOGIN,
        object_type=TOKEN,
        object_id=token.pk,
        summary=f"API token {token.pk} issued",
        changes={"expires_at": token.expires_at.isoformat()},
        request=request,
    )
    return key, token


# "Last used" to the minute: writing it on every request made each API read a
# database write, which processes queue for (SQLite has one writer).
TOKEN_TOUCH_INTERVAL = dt.timedelta(minutes=1)


def api_token_touch(token: ApiToken) -> None:
    """Note when a token was last used, to the minute (no audit entry: requests
    audit themselves)."""
    now = timezone.now()
    if token.last_used_at and now - token.last_used_at < TOKEN_TOUCH_INTERVAL:
        return
    token.last_used_at = now
    token.save(update_fields=["last_used_at"])


@transaction.atomic
def api_tokens_revoke(*, tokens, actor, request=None) -> int:
    """Revoke the given tokens at once; one audit entry each; return how many."""
    now = timezone.now()
    revoked = 0
    for token in tokens.select_for_update():
        if token.revoked_at is not None:
            continue
        token.revoked_at = now
        token.save(update_fields=["revoked_at"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.REVOKE,
            object_type=TOKEN,
            object_id=token.pk,
            summary=f"API token {token.pk} of {token.user.get_username()} revoked",
            request=request,
        )
        revoked += 1
    return revoked


def api_tokens_revoke_all(*, user, actor, request=None) -> int:
    """Revoke every token of `user` that still serves; return how many."""
    return api_tokens_revoke(tokens=api_token_list(user), actor=actor, request=request)
