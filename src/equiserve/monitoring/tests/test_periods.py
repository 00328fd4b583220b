import datetime as dt

import pytest

from equiserve.monitoring.periods import (
    PERIOD_IDS,
    UnknownPeriod,
    current_period,
    period_get,
    periods_through,
)


def test_the_plan_has_six_half_years():
    assert PERIOD_IDS == ("2014H1", "2014H2", "2015H1", "2015H2", "2016H1", "2016H2")


def test_a_half_year_runs_from_its_first_to_its_last_day():
    second = period_get("2015H2")
    assert (second.start, second.end) == (dt.date(2015, 7, 1), dt.date(2015, 12, 31))
    first = period_get("2016H1")
    assert (first.start, first.end) == (dt.date(2016, 1, 1), dt.date(2016, 6, 30))


def test_a_report_is_due_days_after_its_half_year():
    assert period_get("2014H2").deadline(15) == dt.date(2015, 1, 15)


@pytest.mark.parametrize("text", ["2013H2", "2017H1", "2015H3", "2015h1", "", "2015"])
def test_periods_outside_the_plan_are_refused(text):
    with pytest.raises(UnknownPeriod):
        period_get(text)


def test_the_current_period_is_the_latest_that_has_ended():
    assert current_period(dt.date(2015, 7, 1)).id == "2015H1"
    assert current_period(dt.date(2015, 6, 30)).id == "2015H1"
    assert current_period(dt.date(2015, 6, 29)).id == "2014H2"
    assert current_period(dt.date(2014, 3, 1)).id == "2014H1"
    assert current_period(dt.date(2025, 1, 1)).id == "2016H2"


def test_periods_through_include_the_last():
    assert [p.id for p in periods_through(period_get("2014H2"))] == ["2014H1", "2014H2"]
