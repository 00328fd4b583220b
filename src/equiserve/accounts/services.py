"""Writes for accounts."""

from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from equiserve.accounts.models import Department, Profile, Role
from equiserve.geography.models import Town


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
