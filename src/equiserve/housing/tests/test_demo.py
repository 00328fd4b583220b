"""The demo city's housing: stock, applications from the population, round "demo"."""

import pytest

from equiserve.allocation import read_round, verify
from equiserve.housing import services
from equiserve.housing.models import AllocationRound, Application, Estate
from equiserve.housing.tests.factories import household

pytestmark = pytest.mark.django_db


def test_the_demo_round_is_frozen_ready_to_draw_and_reloads_cleanly(geography):
    for i in range(12):
        household(size=2, floor_area=str(10 + i))
    for i in range(8):
        # Within the migrants' (illustrative) income and floor-area limits (issue 12).
        household(
            size=1,
            hukou="elsewhere",
            points=90 + 5 * i,
            floor_area="12.00",
            income="20000.00",
        )
    first = services.housing_demo_load(seed=1)
    assert (first["estates"], first["units"]) == (8, 300)
    # 12 registered + 6 migrants with 100 points or more; 2 migrants are not.
    assert (first["waiting"], first["not_eligible"]) == (18, 2)
    assert first["round"] == "demo" and first["applicants"] == 18
    assert first["migrant_quota"] == 225
    demo = AllocationRound.objects.get(pk="demo")
    assert (demo.status, demo.seed) == ("frozen", "")
    assert demo.list_sha256 == first["list_sha256"]
    assert Estate.objects.filter(synthetic=True).count() == 8

    again = services.housing_demo_load(seed=1)
    assert again["applications"] == Application.objects.count() == 20
    drawn = services.round_draw(round_id="demo", actor=None)
    assert verify(read_round(drawn.round_json)).ok
