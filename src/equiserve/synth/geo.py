"""The geography the population lives in: towns and their villages.

Both come from `equiserve.geography` (plain Python, no Django): the 24 real
towns and the synthetic villages and communities with population weights.
"""

import polars as pl


def towns() -> pl.DataFrame:
    """Return the 24 towns (code_9, names, 2000-census population, centres)."""
    from equiserve.geography.reference import towns_frame

    return towns_frame()


def villages() -> pl.DataFrame:
    """Return villages and communities with WGS-84 points and population weights."""
    from equiserve.geography.synthetic import villages_frame

    return villages_frame()


def town_codes() -> frozenset[str]:
    """Return the 9-digit codes of the 24 towns."""
    return frozenset(towns()["code_9"].to_list())
