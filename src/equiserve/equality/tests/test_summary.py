"""`summary`: every measure at once, with the shape the CLI prints."""

import math

import pytest

from equiserve.equality import (
    cv,
    gini,
    summary,
    theil_l,
    theil_l_decomposition,
    theil_t,
    theil_t_decomposition,
)

VALUES = [1.0, 3.0, 4.0, 2.0, 6.0]
GROUPS = ["石岐", "石岐", "东区", "东区", "小榄"]
WEIGHTS = [10, 30, 20, 5, 8]


def test_summary_agrees_with_each_measure():
    result = summary(VALUES, GROUPS, WEIGHTS)
    t = theil_t_decomposition(VALUES, GROUPS, WEIGHTS)
    ell = theil_l_decomposition(VALUES, GROUPS, WEIGHTS)
    assert result["theil_t"] == t.total
    assert t.total == pytest.approx(theil_t(VALUES, WEIGHTS), abs=1e-15)
    assert (result["theil_t_between"], result["theil_t_within"]) == (
        t.between,
        t.within,
    )
    assert result["theil_l"] == ell.total == theil_l(VALUES, WEIGHTS)
    assert (result["theil_l_between"], result["theil_l_within"]) == (
        ell.between,
        ell.within,
    )
    assert result["gini"] == pytest.approx(gini(VALUES, WEIGHTS), abs=1e-15)
    assert result["cv"] == pytest.approx(cv(VALUES, WEIGHTS), abs=1e-15)
    assert result["n"] == 5 and result["weight"] == 73.0 and result["weighted"] is True
    assert result["mean"] == pytest.approx((10 + 90 + 80 + 10 + 48) / 73)
    assert list(result["groups"]) == sorted(GROUPS[i] for i in (0, 2, 4))
    for label, part in result["groups"].items():
        term = t.groups[label]
        assert part["theil_t"] == term.index and part["share"] == term.share
        assert part["theil_l"] == ell.groups[label].index
        assert part["value_share"] == term.value_share
    # The within shares and the between share add up to 1.
    shares = sum(part["share"] for part in result["groups"].values())
    assert shares + result["theil_t_between_share"] == pytest.approx(1, abs=1e-12)


def test_summary_range_and_compare():
    result = summary(VALUES, GROUPS, WEIGHTS, compare=("东区", "石岐"))
    # Means: 石岐 (10 + 90)/40 = 2.5, 东区 (80 + 10)/25 = 3.6, 小榄 6.
    assert result["range"] == {
        "highest": "小榄",
        "lowest": "石岐",
        "gap": pytest.approx(3.5),
        "ratio": pytest.approx(2.4),
    }
    assert result["compare"] == {
        "first": "东区",
        "second": "石岐",
        "mean_first": pytest.approx(3.6),
        "mean_second": pytest.approx(2.5),
        "gap": pytest.approx(1.1),
        "ratio": pytest.approx(1.44),
    }


def test_summary_without_groups_leaves_the_decomposition_empty():
    result = summary([1.0, 3.0])
    assert result["theil_t_between"] is None and result["theil_l_within"] is None
    assert result["groups"] == {} and result["range"] is None
    assert result["weighted"] is False and result["weight"] == 2.0
    # T = ½[(1/2)ln(1/2) + (3/2)ln(3/2)]
    assert result["theil_t"] == pytest.approx(
        (0.5 * math.log(0.5) + 1.5 * math.log(1.5)) / 2, abs=1e-15
    )


def test_summary_with_zeros_gives_no_theil_l_and_says_why():
    result = summary([0.0, 2.0, 4.0], ["a", "b", "b"])
    assert result["theil_l"] is None and result["theil_l_between"] is None
    assert result["groups"]["a"]["theil_l"] is None
    assert result["notes"] == [
        "theil_l is undefined: 1 value(s) are zero and Theil L takes the log of each value"
    ]
    # Group a holds only a zero: its T is 0 by the documented rule, and it adds
    # nothing to the within part; the lowest mean is 0, so no range ratio.
    assert result["groups"]["a"]["theil_t"] == 0.0
    assert result["groups"]["a"]["share"] == 0.0
    assert result["range"]["ratio"] is None
    # T = ⅓[0 + 1·ln 1 + 2 ln 2] with μ = 2: (2/3) ln 2
    assert result["theil_t"] == pytest.approx(2 / 3 * math.log(2), abs=1e-15)


def test_equal_values_have_no_inequality_and_zero_shares():
    result = summary([5.0, 5.0, 5.0], ["a", "b", "b"])
    for key in ("theil_t", "theil_l", "gini", "cv", "theil_t_between"):
        assert result[key] == 0.0
    assert result["theil_t_between_share"] == 0.0
    assert result["groups"]["b"]["share"] == 0.0
