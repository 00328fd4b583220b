"""The persons a department sees come from the apps that register them (issue 11,
deliverable 5): the registry imports neither cases nor housing.
"""

import datetime as dt

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.db.models import Q

from equiserve.accounts.scope import scope_of
from equiserve.registry import reach
from equiserve.registry.permissions import household_list_for, person_list_for


@pytest.fixture
def officers(demo_accounts):
    return {user.username: user for user in get_user_model().objects.all()}


def test_the_cases_and_housing_apps_register_their_reach():
    assert {"cases", "housing"} <= set(reach._PROVIDERS)


def test_a_department_sees_no_one_when_no_app_brings_anyone(
    people, officers, monkeypatch
):
    # The registry's tests name the cases app only through the app registry.
    apps.get_model("cases", "Case").objects.create(
        programme="hardship_relief",
        applicant=people["xiaolan"],
        town_id=people["xiaolan"].town_id,
        household=people["xiaolan_home"],
        applied_on=dt.date(2015, 6, 1),
        created_by=officers["office"],
        updated_by=officers["office"],
    )
    civil = officers["civil-affairs"]
    assert list(person_list_for(civil)) == [people["xiaolan"]]
    monkeypatch.setattr(reach, "_PROVIDERS", {})
    assert not person_list_for(civil).exists()


def test_a_registered_reach_shows_households_only_when_it_says_so(
    people, officers, monkeypatch
):
    guzhen = Q(town_id=people["guzhen"].town_id)
    monkeypatch.setattr(
        reach,
        "_PROVIDERS",
        {"test": lambda scope: reach.PersonReach(persons=guzhen)},
    )
    education = officers["education"]
    assert list(person_list_for(education)) == [people["guzhen"]]
    assert not household_list_for(education).exists()
    reach.register_person_reach(
        "test", lambda scope: reach.PersonReach(persons=guzhen, with_households=True)
    )
    assert list(household_list_for(education)) == [people["guzhen_home"]]
    # Read-only roles and town officers are never widened by a reach.
    assert scope_of(officers["office"]).acting_department == ""
    assert person_list_for(officers["town-xiaolan"]).filter(guzhen).count() == 0
