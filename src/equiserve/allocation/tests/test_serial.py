import json

from hypothesis import given, settings
from hypothesis import strategies as st

from equiserve.allocation import REASONS, Unit, allocate, draw_round, verify
from equiserve.allocation.tests.factories import applicant, config, instances, seeds


def test_each_applicant_takes_the_first_preferred_estate_with_a_suitable_unit():
    units = [Unit("u1", "e1", 2, [3, 4]), Unit("u2", "e2", 1, [1, 2])]
    ranked = [applicant("a1", household_size=2, preferences=["e1", "e2"])]
    assert allocate(ranked, units, None).allocation == {"a1": "u2"}


def test_within_an_estate_the_fewest_bedrooms_then_the_lowest_id_go_first():
    units = [
        Unit("u9", "e1", 2, [2, 3]),
        Unit("u3", "e1", 1, [2]),
        Unit("u10", "e1", 1, [2]),
    ]
    ranked = [applicant(f"a{i}") for i in (1, 2, 3)]
    # "u10" < "u3" in string order; both have one bedroom, fewer than u9's two.
    assert allocate(ranked, units, None).allocation == {
        "a1": "u10",
        "a2": "u3",
        "a3": "u9",
    }


def test_a_unit_suiting_several_sizes_goes_to_one_household_only():
    units = [Unit("u1", "e1", 2, [2, 3]), Unit("u2", "e1", 2, [3])]
    ranked = [
        applicant("a1", household_size=2),
        applicant("a2", household_size=3),
        applicant("a3", household_size=3),
        applicant("a4", household_size=2),
    ]
    result = allocate(ranked, units, None)
    assert result.allocation == {"a1": "u1", "a2": "u2"}
    assert result.unallocated == {"a3": "units_taken", "a4": "units_taken"}


def test_every_unallocated_applicant_gets_a_reason():
    units = [Unit("u1", "e1", 1, [1, 2])]
    ranked = [
        applicant("housed"),
        applicant("no-choice", preferences=[]),
        applicant("too-big", household_size=5),
        applicant("elsewhere", preferences=["e7"]),
        applicant("late"),
    ]
    result = allocate(ranked, units, None)
    assert result.allocation == {"housed": "u1"}
    assert result.unallocated == {
        "no-choice": "no_preferences",
        "too-big": "no_suitable_unit",
        "elsewhere": "no_suitable_unit",
        "late": "units_taken",
    }
    assert set(result.unallocated.values()) <= set(REASONS)


def test_migrants_past_the_quota_are_skipped_and_others_still_housed():
    units = [Unit(f"u{i}", "e1", 1, [2]) for i in range(1, 5)]
    ranked = [
        applicant("m1", migrant=True),
        applicant("m2", migrant=True),
        applicant("r1"),
        applicant("m3", migrant=True),
        applicant("r2"),
    ]
    result = allocate(ranked, units, 1)
    assert result.allocation == {"m1": "u1", "r1": "u2", "r2": "u3"}
    assert result.unallocated == {
        "m2": "migrant_quota_reached",
        "m3": "migrant_quota_reached",
    }


def test_a_migrant_who_gets_no_unit_does_not_use_up_the_quota():
    units = [Unit("u1", "e1", 1, [2])]
    ranked = [
        applicant("m1", migrant=True, household_size=6),
        applicant("m2", migrant=True),
    ]
    result = allocate(ranked, units, 1)
    assert result.allocation == {"m2": "u1"}
    assert result.unallocated == {"m1": "no_suitable_unit"}


def test_a_quota_of_zero_houses_no_migrant_and_no_quota_houses_all():
    units = [Unit("u1", "e1", 1, [2])]
    ranked = [applicant("m1", migrant=True)]
    assert allocate(ranked, units, 0).unallocated == {"m1": "migrant_quota_reached"}
    assert allocate(ranked, units, None).allocation == {"m1": "u1"}


@settings(max_examples=100, deadline=None)
@given(instances(), seeds, st.integers(0, 4))
def test_the_quota_caps_migrants_and_skips_only_those_past_it(instance, seed, quota):
    applicants, units = instance
    data = draw_round(
        applicants, units, config(), seed, round_id="q", migrant_quota=quota
    )
    migrant = {a.id: a.migrant for a in applicants}
    housed = 0
    for record in data["applicants"]:  # rank order
        if data["unallocated"].get(record["id"]) == "migrant_quota_reached":
            assert migrant[record["id"]] and housed == quota
        if migrant[record["id"]] and record["id"] in data["allocation"]:
            housed += 1
    assert housed <= quota
    assert verify(json.loads(json.dumps(data))).ok
