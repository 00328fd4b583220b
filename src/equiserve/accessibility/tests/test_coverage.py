"""Age bands and coverage tables."""

import datetime as dt

import polars as pl

from equiserve.accessibility import age_band, coverage_table


def test_age_band_turns_on_the_birthday():
    on = dt.date(2015, 7, 1)
    births = [
        dt.date(2000, 7, 1),  # 15 today
        dt.date(2000, 7, 2),  # 14 until tomorrow
        dt.date(1955, 7, 1),  # 60 today
        dt.date(1955, 7, 2),  # 59
        dt.date(2015, 1, 1),
    ]
    bands = pl.DataFrame({"birth_date": births}).select(age_band("birth_date", on))
    assert bands["age_band"].to_list() == ["15-59", "0-14", "60+", "15-59", "0-14"]


def test_coverage_table_counts_weights_and_shares():
    frame = pl.DataFrame(
        {
            "town": ["a", "a", "a", "b", "b"],
            "covered": [True, False, True, False, False],
            "weight": [1.0, 2.0, 3.0, 4.0, 0.0],
        }
    )
    table = coverage_table(frame, ["town"], weight="weight")
    assert table.rows() == [("a", 6.0, 4.0, 4 / 6), ("b", 4.0, 0.0, 0.0)]
    total = coverage_table(frame, [])
    assert total.rows() == [(5, 2, 0.4)]
    empty = coverage_table(frame.filter(pl.col("town") == "z"), [])
    assert empty.rows() == [(0, 0, None)]
