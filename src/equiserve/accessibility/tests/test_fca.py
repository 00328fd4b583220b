"""The 2SFCA score equals PySAL's `access` package on a shared test case."""

import numpy as np
import pandas as pd
import pytest
from access import Access

from equiserve.accessibility import catchment_pairs, two_step_fca


def test_two_step_fca_by_hand():
    # Facility A (100 m²) reaches origins 0 and 1; B (60 m²) reaches 1 and 2.
    demand = [1000, 3000, 2000]
    supply = [100.0, 60.0]
    origin = [0, 1, 1, 2, 2]
    facility = [0, 0, 1, 1, 0]
    cost = [500, 900, 100, 200, 1300]  # the last pair is beyond the catchment
    score = two_step_fca(demand, supply, origin, facility, cost, max_cost=1000)
    ratio_a, ratio_b = 100 / 4000, 60 / 5000
    np.testing.assert_allclose(score, [ratio_a, ratio_a + ratio_b, ratio_b], rtol=1e-15)


def shared_case(seed: int):
    """Return villages with people and sports grounds with m², scattered over 8 km."""
    rng = np.random.default_rng(seed)
    lon = 113.35 + rng.uniform(0, 0.08, 60)
    lat = 22.50 + rng.uniform(0, 0.07, 60)
    people = rng.integers(200, 5000, 60).astype(float)
    f_lon = 113.35 + rng.uniform(0, 0.08, 12)
    f_lat = 22.50 + rng.uniform(0, 0.07, 12)
    area = rng.uniform(400, 6000, 12)
    return lon, lat, people, f_lon, f_lat, area


@pytest.mark.parametrize("seed", [11, 12, 13])
def test_two_step_fca_equals_pysal_access(seed):
    lon, lat, people, f_lon, f_lat, area = shared_case(seed)
    cutoff = 1800.0
    # Every pair, so PySAL applies the cutoff itself.
    origin, facility, cost = catchment_pairs(
        lon, lat, f_lon, f_lat, cutoff_m=1e9, detour_factor=1.25
    )
    assert len(origin) == 60 * 12
    ours = two_step_fca(people, area, origin, facility, cost, max_cost=cutoff)

    model = Access(
        demand_df=pd.DataFrame({"geoid": np.arange(60), "pop": people}),
        demand_index="geoid",
        demand_value="pop",
        supply_df=pd.DataFrame({"geoid": np.arange(12), "area": area}),
        supply_index="geoid",
        supply_value="area",
        cost_df=pd.DataFrame({"origin": origin, "dest": facility, "cost": cost}),
        cost_origin="origin",
        cost_dest="dest",
        cost_name="cost",
    )
    theirs = model.two_stage_fca(name="2sfca", max_cost=cutoff)["2sfca_area"]
    # PySAL leaves origins with no facility in reach empty; ours scores them 0.
    theirs = theirs.reindex(np.arange(60)).fillna(0.0).to_numpy()
    assert (ours > 0).sum() > 20 and (ours == 0).sum() > 0
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-9)
