"""Equality measures of indicators: worked by hand, against PySAL, on the demo city."""

import math

import numpy as np
import pytest
from inequality.gini import Gini
from inequality.theil import TheilD

from equiserve import equality
from equiserve.monitoring.definitions import Indicator, Term
from equiserve.monitoring.measures import (
    across_towns,
    city_to_towns,
    convergence,
    group_gap,
)
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.values import Value

P1, P2 = period_get("2014H1"), period_get("2014H2")
RATE = Indicator(
    code="rate",
    clause="3.7",
    domain="3.7",
    owner="hr-social-security",
    label={"zh": "率", "en": "rate"},
    definition={"zh": "率", "en": "rate"},
    factor=100,
    numerator=Term("entry", {}),
    denominator=Term("entry", {}),
)
COUNT = Indicator(
    code="count",
    clause="3.7",
    domain="3.7",
    owner="hr-social-security",
    label={"zh": "数", "en": "count"},
    definition={"zh": "数", "en": "count"},
    numerator=Term("entry", {}),
)


def _value(indicator, place, value, weight=None, group="", period=P1):
    return Value(indicator, period, place, group, None, weight, value)


def test_weighted_measures_across_towns_equal_the_hand_worked_figures():
    # Town A: 10 % of 1 person; town B: 30 % of 3 people. μ = (10 + 90) / 4 = 25.
    values = [_value(RATE, "a", 10.0, 1.0), _value(RATE, "b", 30.0, 3.0)]
    result = across_towns(values, RATE)
    assert result["weighted"] is True
    assert result["mean"] == pytest.approx(25.0)
    theil_t = 0.25 * 0.4 * math.log(0.4) + 0.75 * 1.2 * math.log(1.2)
    assert result["theil_t"] == pytest.approx(theil_t, abs=1e-12)
    theil_l = 0.25 * math.log(25 / 10) + 0.75 * math.log(25 / 30)
    assert result["theil_l"] == pytest.approx(theil_l, abs=1e-12)
    # Gini: Σ Σ w_i w_j |y_i − y_j| / (2 N² μ) = 2·1·3·20 / (2·16·25) = 0.15.
    assert result["gini"] == pytest.approx(0.15, abs=1e-12)
    assert result["cv"] == pytest.approx(math.sqrt(75) / 25, abs=1e-12)


def test_a_place_without_a_value_is_left_out_and_one_place_is_not_measured():
    values = [_value(RATE, "a", 10.0, 1.0), _value(RATE, "b", None, 3.0)]
    result = across_towns(values, RATE)
    assert result == {
        "n": 1,
        "error": "fewer than two places have a value",
        "places": ["a"],
    }


def test_unweighted_theil_decomposition_and_gini_equal_pysal():
    rng = np.random.default_rng(6)
    towns = np.repeat(["t1", "t2", "t3", "t4"], [5, 8, 3, 9])
    counts = rng.integers(1, 40, towns.size).astype(float)
    values = [_value(COUNT, f"v{i}", float(y)) for i, y in enumerate(counts)]
    town_of = {f"v{i}": str(town) for i, town in enumerate(towns)}
    result = city_to_towns(values, COUNT, town_of)
    assert result["weighted"] is False
    pysal = TheilD(counts, towns)
    assert result["theil_t"] == pytest.approx(float(np.ravel(pysal.T)[0]), abs=1e-9)
    assert result["theil_t_between"] == pytest.approx(
        float(np.ravel(pysal.bg)[0]), abs=1e-9
    )
    assert result["theil_t_within"] == pytest.approx(
        float(np.ravel(pysal.wg)[0]), abs=1e-9
    )
    assert result["gini"] == pytest.approx(Gini(counts).g, abs=1e-9)
    shares = sum(group["share"] for group in result["groups"].values())
    assert shares + result["theil_t_between_share"] == pytest.approx(1.0)


def test_the_registered_migrant_gap_compares_the_citys_group_rates():
    # Registered: 80 % of 10 and 60 % of 30 → 65 %; migrants: 40 % of 10, 20 % of 10 → 30 %.
    values = [
        _value(RATE, "a", 80.0, 10.0, "zhongshan"),
        _value(RATE, "b", 60.0, 30.0, "zhongshan"),
        _value(RATE, "a", 40.0, 10.0, "elsewhere"),
        _value(RATE, "b", 20.0, 10.0, "elsewhere"),
    ]
    gap = group_gap(values, RATE, "hukou")
    assert gap["gap"] == pytest.approx(35.0)
    assert gap["ratio"] == pytest.approx(65 / 30)
    # Between the two groups: Σ s_g ln(μ_g/μ), μ = 56, s = p·μ_g/μ.
    mean = (800 + 1800 + 400 + 200) / 60
    between = (40 / 60) * (65 / mean) * math.log(65 / mean) + (20 / 60) * (
        30 / mean
    ) * math.log(30 / mean)
    total = equality.theil_t([80.0, 60.0, 40.0, 20.0], [10, 30, 10, 10])
    assert gap["theil_t_between_share"] == pytest.approx(between / total)


def test_sigma_convergence_measures_each_period_across_towns():
    values = [
        _value(RATE, "a", 10.0, 1.0, period=P1),
        _value(RATE, "b", 30.0, 1.0, period=P1),
        _value(RATE, "a", 18.0, 1.0, period=P2),
        _value(RATE, "b", 22.0, 1.0, period=P2),
    ]
    result = convergence(values, RATE)
    assert result["cv"]["periods"] == ["2014H1", "2014H2"]
    assert result["cv"]["values"] == pytest.approx([10 / 20, 2 / 20])
    assert result["cv"]["converging"] is True
