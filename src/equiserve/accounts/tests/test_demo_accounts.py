import pytest
from django.contrib.auth import authenticate

from equiserve.accounts.models import Profile, Role
from equiserve.accounts.services import (
    DEMO_ACCOUNTS,
    DemoModeRequired,
    demo_accounts_create,
)

EXPECTED_USERNAMES = {
    "office", "education", "culture", "health", "civil-affairs", "hr-social-security",
    "housing", "sports", "disabled-federation", "civil-affairs-checker",
    "town-xiaolan", "town-guzhen", "auditor",
    "finance",  # the Finance Bureau writes budgets (issue 18)
}  # fmt: skip


def test_demo_accounts_are_the_ones_later_issues_need():
    assert {account.username for account in DEMO_ACCOUNTS} == EXPECTED_USERNAMES
    assert {a.username: a.password for a in DEMO_ACCOUNTS}["town-xiaolan"] == (
        "demo-town-xiaolan"
    )


@pytest.mark.django_db
def test_demo_accounts_log_in_with_their_published_passwords(demo_accounts):
    for username in EXPECTED_USERNAMES:
        user = authenticate(username=username, password=f"demo-{username}")
        assert user is not None, username
    xiaolan = Profile.objects.get(user__username="town-xiaolan")
    assert (xiaolan.role, xiaolan.town_id) == (Role.TOWN, "442000100")
    assert Profile.objects.get(user__username="town-guzhen").town_id == "442000105"
    assert Profile.objects.get(user__username="health").role == Role.HEALTH
    assert Profile.objects.get(user__username="civil-affairs").department == (
        "civil-affairs"
    )


@pytest.mark.django_db
def test_creating_demo_accounts_twice_keeps_one_of_each(demo_accounts):
    demo_accounts_create()
    assert Profile.objects.count() == len(EXPECTED_USERNAMES)


@pytest.mark.django_db
def test_no_demo_account_outside_demo_mode(geography, settings):
    settings.DEMO_MODE = False
    with pytest.raises(DemoModeRequired):
        demo_accounts_create()


@pytest.mark.django_db
def test_demo_accounts_cannot_log_in_once_demo_mode_is_off(demo_accounts, settings):
    settings.DEMO_MODE = False
    assert authenticate(username="office", password="demo-office") is None
