"""Unweighted Theil T, its decomposition and Gini equal PySAL `inequality` (issue 6)."""

import numpy as np
import polars as pl
import pytest
from inequality.gini import Gini
from inequality.theil import Theil, TheilD

from equiserve.equality import gini, summary, theil_t, theil_t_decomposition

TOLERANCE = 1e-9


def _data_sets():
    """Seeded data sets of different shapes: skewed, integer, with zeros and ties."""
    rng = np.random.default_rng(20140601)
    sets = []
    for n, k in ((10, 2), (24, 3), (200, 5), (1_000, 24), (5_000, 7)):
        sets.append(
            (f"lognormal n={n} k={k}", rng.lognormal(3, 1, n), rng.integers(0, k, n))
        )
    counts = rng.poisson(4, 300).astype(float)  # many ties and some zeros
    sets.append(("poisson with zeros", counts, rng.integers(0, 4, 300)))
    rates = rng.integers(0, 2, 500).astype(float)  # a 0/1 indicator per person
    sets.append(("0/1 indicator", rates, rng.integers(0, 6, 500)))
    pareto = rng.pareto(1.5, 800) * 100
    sets.append(("pareto, one group", pareto, np.zeros(800, dtype=int)))
    return sets


DATA_SETS = _data_sets()


@pytest.mark.parametrize(
    ("name", "y", "groups"), DATA_SETS, ids=[s[0] for s in DATA_SETS]
)
def test_theil_t_and_gini_equal_pysal(name, y, groups):
    assert theil_t(y) == pytest.approx(float(Theil(y).T), abs=TOLERANCE)
    assert gini(y) == pytest.approx(Gini(y).g, abs=TOLERANCE)


@pytest.mark.parametrize(
    ("name", "y", "groups"), DATA_SETS, ids=[s[0] for s in DATA_SETS]
)
def test_theil_t_decomposition_equals_pysal_theild(name, y, groups):
    expected = TheilD(y, groups)
    result = theil_t_decomposition(y, groups)
    assert result.total == pytest.approx(float(expected.T), abs=TOLERANCE)
    assert result.between == pytest.approx(float(expected.bg[0]), abs=TOLERANCE)
    assert result.within == pytest.approx(float(expected.wg[0]), abs=TOLERANCE)


@pytest.mark.parametrize(
    ("name", "y", "groups"), DATA_SETS, ids=[s[0] for s in DATA_SETS]
)
def test_summary_equals_pysal(name, y, groups):
    result = summary(y, groups)
    expected = TheilD(y, groups)
    assert result["theil_t"] == pytest.approx(float(expected.T), abs=TOLERANCE)
    assert result["theil_t_between"] == pytest.approx(
        float(expected.bg[0]), abs=TOLERANCE
    )
    assert result["theil_t_within"] == pytest.approx(
        float(expected.wg[0]), abs=TOLERANCE
    )
    assert result["gini"] == pytest.approx(Gini(y).g, abs=TOLERANCE)
    # CV with ddof = 0, from numpy; the summary gets it by the law of total variance.
    assert result["cv"] == pytest.approx(np.std(y) / np.mean(y), abs=1e-12)
    # Each group's own Gini and Theil T are PySAL's on that group's values.
    for label, part in result["groups"].items():
        own = y[groups == int(label)]
        assert part["gini"] == pytest.approx(Gini(own).g, abs=TOLERANCE)
        if own.any():
            assert part["theil_t"] == pytest.approx(float(Theil(own).T), abs=TOLERANCE)


def test_polars_series_and_data_frame_give_the_numpy_figures():
    name, y, groups = DATA_SETS[2]
    labels = np.array(["town_" + str(g) for g in groups])
    frame = pl.DataFrame({"rate": y, "town": labels})
    from_numpy = theil_t_decomposition(y, labels)
    from_series = theil_t_decomposition(frame["rate"], frame["town"])
    from_columns = theil_t_decomposition("rate", "town", data=frame)
    assert from_series == from_numpy == from_columns
    assert gini("rate", data=frame) == gini(pl.Series(y)) == gini(list(y))
    assert sorted(from_columns.groups) == [f"town_{g}" for g in range(5)]


def test_negative_zero_counts_as_zero_in_the_gini_sort():
    # The Gini sorts the bits of the floats; -0.0 must not sort above 2.0.
    assert (
        gini([2.0, -0.0, 1.0]) == gini([2.0, 0.0, 1.0]) == Gini(np.array([0, 1, 2.0])).g
    )
    assert gini([2.0, -0.0, 1.0], [1, 2, 1]) == gini([2.0, 0.0, 0.0, 1.0])
