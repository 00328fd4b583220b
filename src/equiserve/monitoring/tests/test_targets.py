"""The status rule: met, on track, at risk, off track — worked by hand."""

import datetime as dt
from decimal import Decimal

import pytest

from equiserve.monitoring.definitions import Indicator, Target, load_definitions
from equiserve.monitoring.periods import period_get
from equiserve.monitoring.targets import (
    AT_RISK,
    MET,
    NO_DATA,
    NO_TARGET,
    NOT_DUE,
    OFF_TRACK,
    ON_TRACK,
    judge,
)

TOLERANCE = 0.1
BASE = period_get("2014H1")  # ends 2014-06-30


def _indicator(*targets, decimals=1) -> Indicator:
    return Indicator(
        code="test",
        clause="3.7",
        domain="3.7",
        owner="hr-social-security",
        label={"zh": "测", "en": "test"},
        definition={"zh": "测", "en": "test"},
        decimals=decimals,
        targets=targets,
    )


def _deadline(value, by, direction="at_least", path="linear") -> Target:
    return Target(
        value=Decimal(str(value)),
        parameter="",
        direction=direction,
        by=by,
        start=None,
        path=path,
        status="plan",
        reference="test",
    )


def _standing(value, start, direction="at_least") -> Target:
    return Target(
        value=Decimal(str(value)),
        parameter="",
        direction=direction,
        by=None,
        start=start,
        path="",
        status="plan",
        reference="test",
    )


# 95 % by 2016-12-31 from a baseline of 50 % on 2014-06-30: 915 days.
LINEAR = _indicator(_deadline(95, dt.date(2016, 12, 31)))


def _judge(indicator, value, period_id, baseline=50.0):
    return judge(
        indicator,
        value,
        period_get(period_id),
        baseline=None if baseline is None else (BASE, baseline),
        tolerance=TOLERANCE,
    )


def test_expected_value_lies_on_the_line_from_baseline_to_target():
    # 2015-06-30 is 365 of 915 days along: 50 + 45 × 365/915 = 67.95.
    judgement = _judge(LINEAR, 68.0, "2015H1")
    assert judgement.expected == pytest.approx(50 + 45 * 365 / 915)
    assert judgement.status == ON_TRACK


def test_short_of_the_path_by_up_to_the_tolerance_is_at_risk():
    # Tolerance: 0.1 × |95 − 50| = 4.5 points below 67.95, so 63.45 still at risk.
    assert _judge(LINEAR, 63.5, "2015H1").status == AT_RISK
    assert _judge(LINEAR, 63.4, "2015H1").status == OFF_TRACK


def test_reaching_the_target_early_is_met():
    assert _judge(LINEAR, 95.0, "2014H2").status == MET
    assert _judge(LINEAR, 99.0, "2014H2").status == MET


def test_after_the_deadline_a_shortfall_within_the_tolerance_is_at_risk():
    assert _judge(LINEAR, 91.0, "2016H2").status == AT_RISK  # 4 short, tolerance 4.5
    assert _judge(LINEAR, 90.0, "2016H2").status == OFF_TRACK


def test_the_baseline_period_itself_is_on_the_path():
    assert _judge(LINEAR, 50.0, "2014H1").status == ON_TRACK


def test_without_a_baseline_the_whole_target_is_expected():
    judgement = _judge(LINEAR, 80.0, "2015H1", baseline=None)
    assert judgement.expected == 95.0
    # Tolerance is then 10 % of the target itself (9.5): 15 short is off track.
    assert judgement.status == OFF_TRACK


def test_an_at_most_target_is_met_at_or_below_it():
    unemployment = _indicator(
        _deadline(3.5, dt.date(2015, 12, 31), direction="at_most")
    )
    assert _judge(unemployment, 3.5, "2015H2", baseline=4.5).status == MET
    # 2015-06-30: 365/549 of the way from 4.5 to 3.5 → 3.835; 3.9 is short by
    # 0.065, within 0.1 × 1.0.
    judgement = _judge(unemployment, 3.9, "2015H1", baseline=4.5)
    assert judgement.expected == pytest.approx(4.5 - 365 / 549)
    assert judgement.status == AT_RISK
    assert _judge(unemployment, 4.2, "2015H1", baseline=4.5).status == OFF_TRACK


def test_a_step_target_is_on_track_until_its_day_then_met_or_off_track():
    veterans = _indicator(_deadline(100, dt.date(2015, 1, 1), path="step"))
    assert _judge(veterans, 80.0, "2014H2", baseline=80.0).status == ON_TRACK
    assert _judge(veterans, 100.0, "2015H1", baseline=80.0).status == MET
    assert _judge(veterans, 80.0, "2015H1", baseline=80.0).status == OFF_TRACK


def test_a_standing_standard_is_not_due_before_it_starts():
    managed = _indicator(_standing(80, dt.date(2015, 1, 1)))
    assert _judge(managed, 70.0, "2014H2").status == NOT_DUE
    assert _judge(managed, 80.0, "2015H1").status == MET
    assert _judge(managed, 74.0, "2015H1").status == AT_RISK  # 6 short, tolerance 8
    assert _judge(managed, 71.0, "2015H1").status == OFF_TRACK


def test_the_value_is_judged_as_shown():
    # 79.96 shows as 80.0 with one decimal: the page must not say "at risk" beside 80.0.
    managed = _indicator(_standing(80, dt.date(2014, 1, 1)))
    assert _judge(managed, 79.96, "2015H1").status == MET


def test_no_value_is_no_data_and_no_target_is_no_target():
    assert _judge(LINEAR, None, "2015H1").status == NO_DATA
    assert _judge(_indicator(), 10.0, "2015H1").status == NO_TARGET


def test_a_later_target_applies_once_the_earlier_deadline_has_passed():
    two = _indicator(
        _deadline(3.5, dt.date(2015, 12, 31), direction="at_most"),
        _deadline(3.0, dt.date(2016, 12, 31), direction="at_most"),
    )
    assert _judge(two, 3.4, "2015H2", baseline=4.0).target == 3.5
    assert _judge(two, 3.4, "2016H1", baseline=4.0).target == 3.0


def test_the_plans_targets_cite_their_clauses():
    definitions = load_definitions()

    def target(code):
        (found,) = definitions.get(code).targets
        return found

    managed = target("health.t1d_managed_rate")
    assert (managed.value, managed.direction, managed.start) == (
        Decimal("80"),
        "at_least",
        dt.date(2014, 1, 1),
    )
    assert "规范管理率≥80%" in managed.reference
    assert target("health.t1d_controlled_rate").value == Decimal("60")
    unemployment = target("employment.urban_unemployment_rate")
    assert (unemployment.value, unemployment.direction, unemployment.by) == (
        Decimal("3.5"),
        "at_most",
        dt.date(2015, 12, 31),
    )
    communities = target("employment.full_employment_communities")
    assert (communities.value, communities.by) == (Decimal("95"), dt.date(2016, 12, 31))
    reading = target("culture.e_reading_rooms")
    assert (reading.value, reading.by) == (Decimal("100"), dt.date(2014, 12, 31))
    # Issue 13: the plan's 3.8 target is measured by households housed, not
    # by a share of households in difficulty that no offer could lower.
    housing = target("housing.difficulty_solved")
    assert (housing.value, housing.direction, housing.by) == (
        Decimal("100"),
        "at_least",
        dt.date(2015, 12, 31),
    )
    assert not definitions.get("housing.urban_lower_middle_difficulty").has_target
    veterans = target("social.veterans_rural_grant_share")
    assert (veterans.by, veterans.path) == (dt.date(2015, 1, 1), "step")
    area = target("culture.indoor_area_per_10000")
    assert area.parameter == "facilities.culture.indoor_area_per_10000"
    assert area.value_on(dt.date(2016, 12, 31)) == 1200.0
    clauses = {
        code: definitions.get(code).clause
        for code in (
            "health.t1d_managed_rate",
            "employment.urban_unemployment_rate",
            "culture.e_reading_rooms",
            "housing.difficulty_solved",
            "social.veterans_rural_grant_share",
            "sports.natural_village_grounds",
            "sports.guidance_stations",
            "culture.village_rooms",
        )
    }
    assert clauses == {
        "health.t1d_managed_rate": "3.3.2",
        "employment.urban_unemployment_rate": "3.7",
        "culture.e_reading_rooms": "3.2.1",
        "housing.difficulty_solved": "3.8",
        "social.veterans_rural_grant_share": "3.4.3",
        "sports.natural_village_grounds": "3.6.1",
        "sports.guidance_stations": "3.6.2",
        "culture.village_rooms": "3.2.2",
    }


def test_values_are_rounded_half_up_as_official_statistics_are():
    rate = _indicator(decimals=1)
    assert rate.rounded(130 / 4000 * 100) == 3.3  # 3.25: half-even would give 3.2
    assert rate.rounded(2.675) == 2.7
    assert _indicator(decimals=0).rounded(1387.5) == 1388.0
    assert _indicator(decimals=2).rounded(1.0649) == 1.06


def test_an_indicator_without_a_target_says_the_plan_sets_none():
    """Issue 13, deliverable 4: no made-up target, the plain words instead."""
    from django.utils import translation

    from equiserve.monitoring.targets import STATUS_LABELS

    with translation.override("zh-hans"):
        assert str(STATUS_LABELS[NO_TARGET]) == "方案未设目标"
    with translation.override("en"):
        assert str(STATUS_LABELS[NO_TARGET]) == "No target in the plan"
    definitions = load_definitions()
    assert not definitions.get("health.t1d_patients").has_target
    assert not definitions.get("housing.urban_lower_middle_difficulty").has_target
    assert definitions.get("housing.difficulty_solved").has_target
