"""Every bad input is refused with a clear ValueError (InputError)."""

import re

import numpy as np
import polars as pl
import pytest

from equiserve.equality import (
    InputError,
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


def _raises(message, function, *args, index=None, **kwargs):
    with pytest.raises(ValueError, match=f"^{re.escape(message)}$") as caught:
        function(*args, **kwargs)
    assert isinstance(caught.value, InputError)
    assert caught.value.index == index


FRAME = pl.DataFrame({"rate": [0.5, 0.7], "town": ["a", "b"], "name": ["x", "y"]})


def test_column_names_need_a_data_frame_that_holds_them():
    _raises(
        "values is the column name 'rate' but no data frame was given (pass data=...)",
        gini,
        "rate",
    )
    _raises(
        "values column 'rat' is not in the data; columns are: rate, town, name",
        gini,
        "rat",
        data=FRAME,
    )
    _raises(
        "weights column 'people' is not in the data; columns are: rate, town, name",
        gini,
        "rate",
        "people",
        data=FRAME,
    )
    _raises("values is a DataFrame; pass a column name and data=...", gini, FRAME)


def test_values_must_be_numbers():
    _raises("values must be numbers; got the String values", gini, "name", data=FRAME)
    _raises("values must be numbers; got dtype <U1", theil_t, np.array(["a", "b"]))
    _raises(
        "values must be numbers; got non-numeric objects",
        cv,
        np.array([1.0, "a"], dtype=object),
    )
    _raises("values must be one-dimensional; got shape (2, 2)", gini, [[1, 2], [3, 4]])


def test_missing_and_nan_values_are_refused():
    _raises(
        "values have 2 missing value(s); the first is at row 1",
        theil_t,
        pl.Series([1.0, None, None]),
        index=1,
    )
    _raises(
        "values must be finite numbers; 1 are NaN (missing) or infinite, the first "
        "at row 2",
        gini,
        [1.0, 2.0, float("nan")],
        index=2,
    )
    _raises(
        "values must be finite numbers; 2 are NaN (missing) or infinite, the first "
        "at row 0",
        cv,
        np.array([np.inf, 1.0, None], dtype=object),
        index=0,
    )
    _raises(
        "weights must be finite numbers; 1 are NaN (missing) or infinite, the first "
        "at row 1",
        gini,
        [1.0, 2.0],
        [1.0, np.nan],
        index=1,
    )


def test_empty_input_is_refused():
    for function in (cv, gini, theil_t, theil_l):
        name = function.__name__
        _raises(f"values are empty: {name} needs at least one value", function, [])
    _raises(
        "values are empty: summary needs at least one value", summary, pl.Series([])
    )


def test_lengths_must_match():
    _raises("weights have 3 rows but values have 2", theil_t, [1, 2], [1, 2, 3])
    _raises(
        "groups have 1 rows but values have 2", theil_t_decomposition, [1, 2], ["a"]
    )


def test_weights_must_count_people():
    _raises(
        "weights must be non-negative (a weight counts the people a value stands for); "
        "row 1 holds -2",
        gini,
        [1, 2],
        [3, -2],
        index=1,
    )
    _raises("weights are all zero: the values stand for no one", cv, [1, 2], [0, 0])


def test_negative_values_are_refused_where_a_measure_needs_non_negative_ones():
    for function in (cv, gini, theil_t, theil_l):
        name = function.__name__
        _raises(
            f"{name} needs non-negative values; row 1 holds -1.5 "
            "(2 negative value(s) in all)",
            function,
            [1.0, -1.5, -2.0],
            index=1,
        )
    _raises(
        "summary needs non-negative values; row 0 holds -1 (1 negative value(s) in all)",
        summary,
        [-1.0, 2.0],
        ["a", "b"],
        index=0,
    )


def test_all_zero_values_have_no_mean_to_divide_by():
    for function in (cv, gini, theil_t):
        name = function.__name__
        _raises(
            f"values are all zero, so the mean is zero and {name} (which divides by "
            "the mean) is undefined",
            function,
            [0.0, 0.0],
        )
    _raises(
        "values are all zero, so the mean is zero and theil_t (which divides by the "
        "mean) is undefined",
        theil_t_decomposition,
        [0, 0],
        ["a", "b"],
    )


def test_theil_l_is_undefined_with_zeros():
    message = (
        "theil_l needs strictly positive values because it takes the log of each one; "
        "1 values are zero (Theil T and Gini accept zeros)"
    )
    _raises(message, theil_l, [0.0, 2.0, 3.0])
    _raises(message, theil_l_decomposition, [0.0, 2.0, 3.0], ["a", "b", "b"])


def test_group_labels_must_be_present():
    _raises(
        "groups have 1 missing label(s); the first is at row 0",
        theil_t_decomposition,
        [1.0, 2.0],
        pl.Series([None, "a"]),
        index=0,
    )
    _raises(
        "groups have 1 missing label(s); the first is at row 1",
        theil_t_decomposition,
        [1.0, 2.0],
        np.array([1.0, np.nan]),
        index=1,
    )


def test_gap_and_ratio_need_known_groups_and_a_non_zero_denominator():
    values, groups = [1.0, 0.0], ["zhongshan", "elsewhere"]
    _raises(
        "the first group 'urban' is not in the groups; they are: 'elsewhere', 'zhongshan'",
        gap,
        values,
        groups,
        "urban",
        "zhongshan",
    )
    _raises(
        "the second group 'rural' is not in the groups; they are: 'elsewhere', "
        "'zhongshan'",
        ratio,
        values,
        groups,
        "zhongshan",
        "rural",
    )
    _raises(
        "the ratio is undefined: the mean of the second group 'elsewhere' is zero",
        ratio,
        values,
        groups,
        "zhongshan",
        "elsewhere",
    )


def test_summary_compare_needs_groups_that_exist():
    _raises("compare needs groups", summary, [1.0, 2.0], compare=("a", "b"))
    _raises(
        "the second group 'c' is not in the groups; they are: a, b",
        summary,
        [1.0, 2.0],
        ["a", "b"],
        compare=("a", "c"),
    )
