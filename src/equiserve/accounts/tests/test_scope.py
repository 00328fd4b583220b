"""One scope answers "which towns, which department, what is a superuser" (issue 11,
deliverable 5): every app asks `accounts.scope`, with one way to say "all towns".
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.accounts.scope import (
    ALL_TOWNS,
    access_town,
    acts_for,
    administers,
    scope_of,
    sees_town,
    town_list_for,
    visible_towns,
)
from equiserve.testkit import GUZHEN, SHIQI, XIAOLAN, make_officer

pytestmark = pytest.mark.django_db


@pytest.fixture
def users(demo_accounts):
    return {user.username: user for user in get_user_model().objects.all()}


@pytest.mark.parametrize(
    ("username", "towns"),
    [
        ("office", ALL_TOWNS),
        ("auditor", ALL_TOWNS),
        ("civil-affairs", ALL_TOWNS),
        ("health", ALL_TOWNS),
        ("town-xiaolan", [XIAOLAN]),
        ("town-guzhen", [GUZHEN]),
    ],
)
def test_every_role_sees_its_towns_said_one_way(users, username, towns):
    user = users[username]
    assert visible_towns(user) == towns
    expected = 24 if towns is ALL_TOWNS else 1
    assert town_list_for(user).count() == expected
    assert sees_town(user, XIAOLAN) is (towns is ALL_TOWNS or XIAOLAN in towns)


def test_access_town_is_one_404_for_missing_and_forbidden(users):
    officer = users["town-xiaolan"]
    assert access_town(officer, XIAOLAN).code == XIAOLAN
    for code in (GUZHEN, "999999999", "", None, "abc"):
        with pytest.raises(Http404, match="no such town"):
            access_town(officer, code)
    assert access_town(users["office"], SHIQI).code == SHIQI
    with pytest.raises(Http404, match="no such town"):
        access_town(users["office"], "999999999")


def test_no_one_without_a_role_sees_a_town(geography):
    bare = get_user_model().objects.create_user("bare", password="pw-123456!")
    for user in (AnonymousUser(), bare):
        assert scope_of(user) is None
        assert visible_towns(user) == []
        assert not sees_town(user, XIAOLAN)
        assert town_list_for(user).count() == 0
        with pytest.raises(Http404):
            access_town(user, XIAOLAN)


def test_a_department_acts_for_itself_only(users):
    assert acts_for(users["civil-affairs"], "civil-affairs")
    assert not acts_for(users["civil-affairs"], "education")
    assert acts_for(users["health"], "health")
    assert not acts_for(users["office"], "")
    assert not acts_for(users["town-xiaolan"], "civil-affairs")


def test_a_superuser_administers_every_town_whatever_their_profile(geography):
    """Issue 11, deliverable 5: one meaning of superuser (facilities, housing and
    the registry's import each had their own)."""
    root = make_officer("root", Role.TOWN, town=XIAOLAN)
    root.is_superuser = True
    root.save(update_fields=["is_superuser"])
    scope = scope_of(root)
    assert administers(root) and scope.administers
    assert (scope.role, scope.read_only) == (Role.OFFICE, True)
    assert visible_towns(root) is ALL_TOWNS
    assert access_town(root, GUZHEN).code == GUZHEN
    assert not acts_for(root, "civil-affairs")


def test_an_inactive_superuser_administers_nothing(geography):
    root = get_user_model().objects.create_superuser("root", password="pw-123456!")
    root.is_active = False
    assert not administers(root)
    assert scope_of(root) is None
    assert visible_towns(root) == []
