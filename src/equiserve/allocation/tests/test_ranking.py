import pytest

from equiserve.allocation import RoundFormatError, rank
from equiserve.allocation.tests.factories import ZERO_SEED, applicant, config


def ids(applicants, **config_changes):
    ranked, _ = rank(applicants, config(**config_changes), ZERO_SEED)
    return [a.id for a in ranked]


def test_priority_groups_come_in_the_configured_order_then_no_group():
    applicants = [
        applicant("none", score=99),
        applicant("low", priority="low_income"),
        applicant("old", priority="elderly", score=1),
        applicant("dis", priority="disability", score=0),
    ]
    assert ids(applicants) == ["dis", "old", "low", "none"]


def test_within_a_group_a_higher_score_beats_a_longer_wait():
    applicants = [
        applicant("early", score=10, waiting_since="2010-01-01"),
        applicant("high", score=10.5, waiting_since="2015-01-01"),
    ]
    assert ids(applicants) == ["high", "early"]


def test_with_equal_scores_the_earlier_waiting_date_wins():
    applicants = [
        applicant("a1", waiting_since="2014-06-02"),
        applicant("a4", waiting_since="2014-06-01"),
    ]
    assert ids(applicants) == ["a4", "a1"]


def test_full_ties_go_to_the_lower_sha256_of_seed_and_id():
    # With the zero seed: a1 4593…, b1 5483…, a2 8a25…, a3 9219…, 申请人7 b1f0…,
    # a4 bb4b… (see test_lottery for how these were checked).
    applicants = [applicant(i) for i in ("a4", "申请人7", "a3", "a2", "b1", "a1")]
    assert ids(applicants) == ["a1", "b1", "a2", "a3", "申请人7", "a4"]


def test_the_tie_breaks_returned_are_the_lottery_values():
    _, draws = rank([applicant("a1")], config(), ZERO_SEED)
    assert draws == {
        "a1": "4593098d0bf3fc0b4604bb1f9a2d8d6581bee7326727c306f380df1490f33619"
    }


REFUSERS = [
    applicant("dis", priority="disability", score=1),
    applicant("dis-refused-twice", priority="disability", score=9, refusals=2),
    applicant("dis-refused-once", priority="disability", score=5, refusals=1),
    applicant("old", priority="elderly"),
    applicant("none", score=0),
]


def test_refusing_the_limit_moves_a_household_to_the_end_of_its_group():
    assert ids(REFUSERS, refusal_demotion="end_of_group") == [
        "dis-refused-once",
        "dis",
        "dis-refused-twice",
        "old",
        "none",
    ]


def test_refusing_the_limit_can_move_a_household_after_everyone():
    assert ids(REFUSERS, refusal_demotion="end_of_list") == [
        "dis-refused-once",
        "dis",
        "old",
        "none",
        "dis-refused-twice",
    ]


def test_the_refusal_limit_is_a_parameter():
    assert ids(REFUSERS, refusal_limit=1)[:3] == [
        "dis",
        "dis-refused-twice",
        "dis-refused-once",
    ]


def test_a_priority_group_the_configuration_does_not_list_is_refused():
    with pytest.raises(RoundFormatError, match="priority 'veteran' is not one of"):
        rank([applicant("a1", priority="veteran")], config(), ZERO_SEED)
