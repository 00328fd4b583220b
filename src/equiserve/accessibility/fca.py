"""The two-step floating catchment area (2SFCA) score.

Luo, W. and Wang, F. (2003), Measures of spatial accessibility to health care
in a GIS environment, Environment and Planning B 30(6), 865–884.
"""

import numpy as np


def two_step_fca(
    demand,
    supply,
    origin,
    facility,
    cost,
    *,
    max_cost: float,
) -> np.ndarray:
    """Return each origin's 2SFCA score from origin-facility pairs and their costs.

    Step 1: each facility's supply divided by the demand of the origins within
    `max_cost`. Step 2: each origin sums those ratios over the facilities
    within `max_cost`. An origin with no facility in reach scores 0; a
    facility whose reachable origins have no demand serves no one (ratio 0).
    """
    demand = np.asarray(demand, dtype=np.float64)
    supply = np.asarray(supply, dtype=np.float64)
    origin = np.asarray(origin, dtype=np.int64)
    facility = np.asarray(facility, dtype=np.int64)
    keep = np.asarray(cost, dtype=np.float64) <= max_cost
    origin, facility = origin[keep], facility[keep]
    catchment_demand = np.bincount(
        facility, weights=demand[origin], minlength=len(supply)
    )
    ratio = np.divide(
        supply,
        catchment_demand,
        out=np.zeros(len(supply)),
        where=catchment_demand > 0,
    )
    return np.bincount(origin, weights=ratio[facility], minlength=len(demand))
