import hashlib
import json
import random

import pytest

from equiserve.allocation import (
    Applicant,
    RoundFormatError,
    RoundMismatch,
    Unit,
    draw_round,
    list_sha256,
    seed_commitment,
    verify,
)
from equiserve.allocation.tests.factories import (
    SEED,
    ZERO_SEED,
    applicant,
    config,
    random_round,
)

TINY_CONFIG = config(priority_groups=["elderly"], refusal_limit=3)
TINY_APPLICANTS = [
    Applicant("a2", "elderly", 7, "2014-05-01", 1, ["东区"], migrant=True),
    Applicant("a1", None, 12.5, "2013-01-31", 3, ["e1", "东区"], refusals=1),
]
TINY_UNITS = [Unit("u2", "东区", 1, [1, 2]), Unit("u1", "e1", 2, [3, 4])]


def test_the_list_hash_is_sha256_of_the_canonical_frozen_list():
    # The frozen list written out by hand: inputs only, sorted by id, sorted keys.
    frozen = (
        '{"applicants":[{"household_size":3,"id":"a1","migrant":false,'
        '"preferences":["e1","东区"],"priority":null,"refusals":1,"score":12.5,'
        '"waiting_since":"2013-01-31"},{"household_size":1,"id":"a2","migrant":true,'
        '"preferences":["东区"],"priority":"elderly","refusals":0,"score":7,'
        '"waiting_since":"2014-05-01"}],"format":"equiserve.housing.round/1",'
        '"migrant_quota":1,"ranking_config":{"clause":"3.8","labels":{},'
        '"owner":"housing","priority_groups":["elderly"],"reference":"",'
        '"refusal_demotion":"end_of_group","refusal_limit":3,"status":"illustrative",'
        '"version":"test.1"},"round_id":"r1","units":[{"bedrooms":2,"estate":"e1",'
        '"id":"u1","suits":[3,4]},{"bedrooms":1,"estate":"东区","id":"u2",'
        '"suits":[1,2]}]}'
    )
    expected = hashlib.sha256(frozen.encode("utf-8")).hexdigest()
    assert (
        list_sha256(
            TINY_APPLICANTS, TINY_UNITS, TINY_CONFIG, round_id="r1", migrant_quota=1
        )
        == expected
    )


def test_a_tiny_round_draws_as_specified():
    data = draw_round(
        TINY_APPLICANTS,
        TINY_UNITS,
        TINY_CONFIG,
        ZERO_SEED,
        round_id="r1",
        migrant_quota=1,
    )
    assert [(r["id"], r["rank"]) for r in data["applicants"]] == [("a2", 1), ("a1", 2)]
    assert data["allocation"] == {"a2": "u2", "a1": "u1"}
    assert data["unallocated"] == {}
    assert data["seed"] == ZERO_SEED
    assert data["seed_commitment"] == seed_commitment(ZERO_SEED)
    assert data["units"] == [
        {"id": "u1", "estate": "e1", "bedrooms": 2, "suits": [3, 4]},
        {"id": "u2", "estate": "东区", "bedrooms": 1, "suits": [1, 2]},
    ]
    assert set(data["applicants"][0]) == {
        "id", "rank", "priority", "score", "waiting_since", "household_size",
        "preferences", "migrant", "refusals", "tie_break",
    }  # fmt: skip


def test_the_list_hash_ignores_the_order_applicants_and_units_are_given_in():
    applicants, units = random_round(random.Random(3), 30, 10, 3)
    first = list_sha256(applicants, units, config(), round_id="r", migrant_quota=2)
    random.Random(4).shuffle(applicants)
    units.reverse()
    assert (
        list_sha256(applicants, units, config(), round_id="r", migrant_quota=2) == first
    )


def test_the_draw_is_deterministic_for_a_seed_and_input_order_does_not_matter():
    applicants, units = random_round(random.Random(5), 60, 20, 4)
    first = draw_round(applicants, units, config(), SEED, round_id="r", migrant_quota=3)
    applicants.reverse()
    units.reverse()
    again = draw_round(applicants, units, config(), SEED, round_id="r", migrant_quota=3)
    assert json.dumps(first) == json.dumps(again)
    other = draw_round(applicants, units, config(), ZERO_SEED, round_id="r")
    assert [r["id"] for r in other["applicants"]] != [
        r["id"] for r in first["applicants"]
    ]


def test_the_draw_takes_plain_dicts_like_the_housing_app_builds():
    data = draw_round(
        [a.to_dict() for a in TINY_APPLICANTS],
        [u.to_dict() for u in TINY_UNITS],
        TINY_CONFIG,
        ZERO_SEED,
        round_id="r1",
        migrant_quota=1,
    )
    assert data["allocation"] == {"a2": "u2", "a1": "u1"}


def test_the_draw_refuses_a_list_that_changed_since_it_was_published():
    published = list_sha256(TINY_APPLICANTS, TINY_UNITS, TINY_CONFIG, round_id="r1")
    changed = [*TINY_APPLICANTS, applicant("a3")]
    with pytest.raises(RoundMismatch, match=f"published list_sha256 {published}"):
        draw_round(
            changed,
            TINY_UNITS,
            TINY_CONFIG,
            ZERO_SEED,
            round_id="r1",
            expected_list_sha256=published,
        )


def test_the_draw_refuses_a_seed_other_than_the_committed_one():
    with pytest.raises(
        RoundMismatch, match="does not match the published seed_commitment"
    ):
        draw_round(
            TINY_APPLICANTS,
            TINY_UNITS,
            TINY_CONFIG,
            SEED,
            round_id="r1",
            expected_seed_commitment=seed_commitment(ZERO_SEED),
        )


def test_the_draw_accepts_the_published_hashes_and_verifies():
    published = list_sha256(TINY_APPLICANTS, TINY_UNITS, TINY_CONFIG, round_id="r1")
    data = draw_round(
        TINY_APPLICANTS,
        TINY_UNITS,
        TINY_CONFIG,
        SEED,
        round_id="r1",
        expected_list_sha256=published,
        expected_seed_commitment=seed_commitment(SEED),
    )
    assert data["list_sha256"] == published
    assert verify(json.loads(json.dumps(data))).ok


def bad(applicant_id="a1", **changes):
    """Return an applicant as a dict, as the housing app passes them, with changes."""
    return applicant(applicant_id).to_dict() | changes


UNIT = {"id": "u1", "estate": "e1", "bedrooms": 1, "suits": [1]}


@pytest.mark.parametrize(
    ("applicants", "units", "message"),
    [
        ([bad(), bad()], [], "applicant a1 is listed twice"),
        ([], [UNIT, UNIT], "unit u1 is listed twice"),
        ([bad(household_size=0)], [], "a1: household_size must be"),
        ([bad(waiting_since="2014-02-30")], [], "not a real date"),
        ([bad(waiting_since="20140201")], [], "waiting_since must be a date"),
        ([bad(score=True)], [], "a1: score must be a finite number"),
        ([bad(preferences=["e1", "e1"])], [], "list an estate twice"),
        ([bad(colour="red")], [], "applicant a1: unknown field 'colour'"),
        ([{"id": "a1"}], [], "applicant a1: missing field 'priority'"),
        ([], [UNIT | {"suits": []}], "u1: suits must list household sizes"),
        ([], [UNIT | {"bedrooms": -1}], "u1: bedrooms must be a whole number"),
    ],
)
def test_a_malformed_round_is_refused_before_the_draw(applicants, units, message):
    with pytest.raises(RoundFormatError, match=message):
        draw_round(applicants, units, config(), SEED, round_id="r")


def test_a_negative_migrant_quota_is_refused():
    with pytest.raises(RoundFormatError, match="migrant_quota must be a whole number"):
        draw_round([], [], config(), SEED, round_id="r", migrant_quota=-1)
