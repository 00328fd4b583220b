"""A housing draw is confirmed, in words, before it is done (issue 14, deliverable 4)."""

import pytest

from equiserve.housing import services
from equiserve.housing.models import AllocationRound, RoundStatus
from equiserve.housing.tests.factories import AS_OF, apply, estate, household, unit
from equiserve.testkit import GUZHEN, XIAOLAN

pytestmark = pytest.mark.django_db


@pytest.fixture
def housing_world(demo_accounts):
    """Two waiting households, one unit, round r1 frozen."""
    e1 = estate("E1")
    unit(e1, "E1-101")
    for town in (XIAOLAN, GUZHEN):
        home, person = household(town)
        apply(home, person, [e1])
    services.round_freeze(
        round_id="r1", title="Round one", as_of=AS_OF, actor=None, migrant_quota=None
    )


def test_the_draw_asks_for_confirmation_then_draws_and_says_so(housing_world, login):
    client = login("housing")
    step = client.post("/housing/rounds/r1/draw/")
    assert step.status_code == 200
    page = step.content.decode()
    assert "Draw round r1?" in page
    assert "2 households on the frozen list compete for 1 unit." in page
    assert "This cannot be undone." in page
    assert 'name="confirmed" value="1"' in page
    assert AllocationRound.objects.get(pk="r1").status == RoundStatus.FROZEN

    done = client.post("/housing/rounds/r1/draw/", {"confirmed": "1"}, follow=True)
    assert AllocationRound.objects.get(pk="r1").status == RoundStatus.DRAWN
    assert "Round r1 drawn:" in done.content.decode()
