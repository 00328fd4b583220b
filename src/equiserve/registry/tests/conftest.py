import pytest

from equiserve.testkit import (
    GUZHEN,
    XIAOLAN,
    make_household,
    make_person,
)


@pytest.fixture
def people(demo_accounts):
    """One household with two persons in Xiaolan, one with one person in Guzhen."""
    xiaolan_home = make_household(XIAOLAN, key="h-xl")
    guzhen_home = make_household(GUZHEN, key="h-gz")
    return {
        "xiaolan": make_person(XIAOLAN, key="p-xl", household=xiaolan_home),
        "xiaolan_child": make_person(XIAOLAN, key="p-xl-2", household=xiaolan_home),
        "guzhen": make_person(GUZHEN, key="p-gz", household=guzhen_home),
        "xiaolan_home": xiaolan_home,
        "guzhen_home": guzhen_home,
    }
