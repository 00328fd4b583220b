"""Charts colour a figure against its target (issue 14, deliverable 7)."""

import pytest

from equiserve.charts import against_target


def test_77_percent_against_a_100_percent_target_is_not_met():
    assert against_target(77.0, 100.0) == "not_met"


def test_reaching_the_target_is_met_on_either_side():
    assert against_target(100.0, 100.0) == "met"
    assert against_target(3.2, 3.5, "at_most") == "met"
    assert against_target(3.8, 3.5, "at_most") == "not_met"


def test_no_target_is_neutral_and_no_figure_is_never_met():
    assert against_target(77.0, None) == "no_target"
    assert against_target(None, 100.0) == "no_data"


def test_an_unknown_direction_is_refused():
    with pytest.raises(ValueError):
        against_target(1.0, 1.0, "around")
