"""Weighted measures, checked by hand-worked cases and by replication."""

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from equiserve.equality import (
    cv,
    gap,
    gini,
    ratio,
    summary,
    theil_l,
    theil_l_decomposition,
    theil_t,
    theil_t_decomposition,
)

# Case A: values 1 and 2 standing for 1 and 3 people.
# N = 4, Y = 1·1 + 3·2 = 7, μ = 7/4; y/μ = 4/7 and 8/7.
A_VALUES, A_WEIGHTS = [1.0, 2.0], [1.0, 3.0]


def test_weighted_theil_t_by_hand():
    # T = (1/N) Σ w (y/μ) ln(y/μ) = ¼[1·(4/7)ln(4/7) + 3·(8/7)ln(8/7)]
    #   = (1/7) ln(4/7) + (6/7) ln(8/7) = −0.079945 + 0.114455 = 0.034510
    expected = math.log(4 / 7) / 7 + 6 / 7 * math.log(8 / 7)
    assert theil_t(A_VALUES, A_WEIGHTS) == pytest.approx(expected, abs=1e-15)
    assert expected == pytest.approx(0.0345104, abs=1e-7)


def test_weighted_theil_l_by_hand():
    # L = (1/N) Σ w ln(μ/y) = ¼[ln(7/4) + 3 ln(7/8)]
    #   = ¼[0.559616 − 3·0.133531] = ¼·0.159022 = 0.039755
    expected = (math.log(7 / 4) + 3 * math.log(7 / 8)) / 4
    assert theil_l(A_VALUES, A_WEIGHTS) == pytest.approx(expected, abs=1e-15)
    assert expected == pytest.approx(0.0397554, abs=1e-7)


def test_weighted_gini_by_hand():
    # People: one holds 1, three hold 2. Ordered pairs that differ: 1×3 and 3×1,
    # each |1 − 2| = 1, so Σ Σ w_i w_j |y_i − y_j| = 6.
    # G = 6 / (2 N² μ) = 6 / (2 · 16 · 7/4) = 6/56 = 3/28.
    assert gini(A_VALUES, A_WEIGHTS) == pytest.approx(3 / 28, abs=1e-15)


def test_weighted_cv_by_hand():
    # var = [1·(1 − 7/4)² + 3·(2 − 7/4)²] / 4 = (9/16 + 3/16) / 4 = 3/16,
    # sd = √3/4, CV = (√3/4) / (7/4) = √3/7 = 0.247436
    assert cv(A_VALUES, A_WEIGHTS) == pytest.approx(math.sqrt(3) / 7, abs=1e-15)


# Case B: group a holds 1 and 3 (one person each), group b holds 4 (two people).
# N = 4, Y = 1 + 3 + 8 = 12, μ = 3. μ_a = 2, μ_b = 4; p_a = p_b = ½;
# s_a = 4/12 = ⅓, s_b = 8/12 = ⅔.
B_VALUES, B_GROUPS, B_WEIGHTS = [1.0, 3.0, 4.0], ["a", "a", "b"], [1.0, 1.0, 2.0]


def test_weighted_theil_t_decomposition_by_hand():
    result = theil_t_decomposition(B_VALUES, B_GROUPS, B_WEIGHTS)
    # between = Σ s_g ln(μ_g/μ) = ⅓ ln(2/3) + ⅔ ln(4/3)
    between = math.log(2 / 3) / 3 + 2 / 3 * math.log(4 / 3)
    # T_a = ½[(1/2)ln(1/2) + (3/2)ln(3/2)] = ¼ ln ½ + ¾ ln(3/2); T_b = 0 (one value)
    t_a = math.log(1 / 2) / 4 + 3 / 4 * math.log(3 / 2)
    # within = s_a T_a + s_b T_b = ⅓ T_a
    within = t_a / 3
    # total = ¼[(1/3)ln(1/3) + 1·ln 1 + 2·(4/3)ln(4/3)] = (1/12)ln(1/3) + ⅔ ln(4/3)
    total = math.log(1 / 3) / 12 + 2 / 3 * math.log(4 / 3)
    assert between + within == pytest.approx(total, abs=1e-15)  # the hand work adds up
    assert result.total == pytest.approx(total, abs=1e-15)
    assert result.between == pytest.approx(between, abs=1e-15)
    assert result.within == pytest.approx(within, abs=1e-15)
    a, b = result.groups["a"], result.groups["b"]
    assert (a.n, a.weight, a.mean, a.population_share) == (2, 2.0, 2.0, 0.5)
    assert (b.n, b.weight, b.mean, b.population_share) == (1, 2.0, 4.0, 0.5)
    assert a.value_share == pytest.approx(1 / 3) and b.value_share == pytest.approx(
        2 / 3
    )
    assert a.index == pytest.approx(t_a, abs=1e-15) and b.index == 0.0
    assert a.contribution == pytest.approx(within, abs=1e-15) and b.contribution == 0.0
    assert a.share == pytest.approx(within / total, abs=1e-15) and b.share == 0.0
    assert result.between_share == pytest.approx(between / total, abs=1e-15)


def test_weighted_theil_l_decomposition_by_hand():
    result = theil_l_decomposition(B_VALUES, B_GROUPS, B_WEIGHTS)
    # between = Σ p_g ln(μ/μ_g) = ½ ln(3/2) + ½ ln(3/4)
    between = (math.log(3 / 2) + math.log(3 / 4)) / 2
    # L_a = ½[ln(2/1) + ln(2/3)] = ½ ln(4/3); L_b = 0; within = ½ L_a = ¼ ln(4/3)
    l_a = math.log(4 / 3) / 2
    within = l_a / 2
    # total = ¼[ln 3 + ln 1 + 2 ln(3/4)] = ¼ ln(27/16)
    total = math.log(27 / 16) / 4
    assert between + within == pytest.approx(total, abs=1e-15)
    assert result.total == pytest.approx(total, abs=1e-15)
    assert result.between == pytest.approx(between, abs=1e-15)
    assert result.within == pytest.approx(within, abs=1e-15)
    assert result.groups["a"].index == pytest.approx(l_a, abs=1e-15)
    assert result.groups["a"].contribution == pytest.approx(within, abs=1e-15)
    assert result.groups["b"].index == 0.0


def test_weighted_gini_and_cv_of_each_group_by_hand():
    result = summary(B_VALUES, B_GROUPS, B_WEIGHTS)
    # Group a: 1 and 3, one person each: ΣΣ|y_i − y_j| = 2·2 = 4,
    # G = 4 / (2·2²·2) = ¼; sd = 1, CV = 1/2. Group b: one value, both 0.
    assert result["groups"]["a"]["gini"] == pytest.approx(0.25, abs=1e-15)
    assert result["groups"]["a"]["cv"] == pytest.approx(0.5, abs=1e-15)
    assert result["groups"]["b"]["gini"] == 0.0 and result["groups"]["b"]["cv"] == 0.0
    # Whole city: people hold 1, 3, 4, 4. Pair differences (unordered):
    # |1−3| + 2·|1−4| + 2·|3−4| + |4−4| = 2 + 6 + 2 = 10; ordered: 20.
    # G = 20 / (2·4²·3) = 20/96 = 5/24.
    assert result["gini"] == pytest.approx(5 / 24, abs=1e-15)


def test_gap_and_ratio_between_registered_and_migrant_residents_by_hand():
    # Coverage in two towns, by hukou; weights are people.
    # Registered (zhongshan): (0.9·100 + 0.8·300) / 400 = 330/400 = 0.825
    # Migrant (elsewhere):    (0.6·200 + 0.5·200) / 400 = 220/400 = 0.55
    rate = [0.9, 0.8, 0.6, 0.5]
    hukou = ["zhongshan", "zhongshan", "elsewhere", "elsewhere"]
    people = [100, 300, 200, 200]
    assert gap(rate, hukou, "zhongshan", "elsewhere", people) == pytest.approx(0.275)
    assert ratio(rate, hukou, "elsewhere", "zhongshan", people) == pytest.approx(2 / 3)
    # Unweighted: 0.85 − 0.55 = 0.3
    assert gap(rate, hukou, "zhongshan", "elsewhere") == pytest.approx(0.3)


def test_urban_rural_gap_accepts_negative_values():
    # A change in a rate can be negative; the gap of means is still defined.
    change = [-0.02, 0.04, 0.01]
    kind = ["urban", "rural", "rural"]
    assert gap(change, kind, "urban", "rural") == pytest.approx(-0.045)


def test_rows_of_weight_zero_are_ignored():
    values, groups = [1.0, 2.0, 0.0, 5.0], ["a", "a", "b", "c"]
    with_zero = summary(values, groups, [1, 3, 0, 2])
    without = summary([1.0, 2.0, 5.0], ["a", "a", "c"], [1, 3, 2])
    assert with_zero == without
    assert list(with_zero["groups"]) == ["a", "c"]
    # A zero with no weight does not make Theil L undefined.
    assert theil_l(values, [1, 3, 0, 2]) == theil_l([1.0, 2.0, 5.0], [1, 3, 2])


# Weights are counts of people: a value of weight 3 must give exactly what the
# same value written out three times gives.
values_st = st.lists(
    st.floats(min_value=0.01, max_value=1e6, allow_nan=False), min_size=1, max_size=40
)


@st.composite
def weighted_groups(draw):
    values = draw(values_st)
    n = len(values)
    weights = draw(st.lists(st.integers(1, 6), min_size=n, max_size=n))
    groups = draw(st.lists(st.sampled_from("abcd"), min_size=n, max_size=n))
    return np.array(values), np.array(weights), np.array(groups)


@settings(max_examples=60, deadline=None)
@given(weighted_groups())
def test_integer_weights_equal_replicated_values(case):
    values, weights, groups = case
    replicated = summary(np.repeat(values, weights), np.repeat(groups, weights))
    weighted = summary(values, groups, weights)
    for key in (
        "mean",
        "theil_t",
        "theil_t_between",
        "theil_t_within",
        "theil_l",
        "theil_l_between",
        "theil_l_within",
        "gini",
        "cv",
    ):
        assert weighted[key] == pytest.approx(replicated[key], rel=1e-9, abs=1e-12), key
    for label, part in weighted["groups"].items():
        other = replicated["groups"][label]
        assert part["weight"] == other["n"]
        for key in ("mean", "theil_t", "theil_t_contribution", "theil_l", "gini", "cv"):
            assert part[key] == pytest.approx(other[key], rel=1e-9, abs=1e-12), key
        if weighted["theil_t"] > 1e-6:  # shares of a near-zero total are rounding
            assert part["share"] == pytest.approx(other["share"], rel=1e-6, abs=1e-9)


@settings(max_examples=60, deadline=None)
@given(weighted_groups())
def test_decomposition_adds_up(case):
    values, weights, groups = case
    for decompose, measure in (
        (theil_t_decomposition, theil_t),
        (theil_l_decomposition, theil_l),
    ):
        result = decompose(values, groups, weights)
        # The total computed without groups, over the rows directly.
        direct = measure(values, weights)
        assert result.between + result.within == pytest.approx(direct, abs=1e-12)
        assert result.total == pytest.approx(direct, abs=1e-12)
        assert sum(g.contribution for g in result.groups.values()) == pytest.approx(
            result.within, abs=1e-12
        )
        assert sum(g.population_share for g in result.groups.values()) == pytest.approx(
            1
        )
        assert sum(g.value_share for g in result.groups.values()) == pytest.approx(1)
        if result.total > 1e-9:
            shares = sum(g.share for g in result.groups.values())
            assert shares + result.between_share == pytest.approx(1, abs=1e-9)
