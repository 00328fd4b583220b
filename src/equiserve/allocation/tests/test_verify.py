import copy
import json

import pytest

from equiserve.allocation import RoundFormatError, canonical_json, sha256_hex, verify
from equiserve.allocation.model import APPLICANT_FIELDS, UNIT_FIELDS
from equiserve.allocation.round import frozen_list
from equiserve.allocation.tests.factories import SEED, ZERO_SEED, fixed_round
from equiserve.allocation.verify import parse_round

ROUND = json.loads(json.dumps(fixed_round()))
HASH = ROUND["list_sha256"]
COMMITMENT = ROUND["seed_commitment"]
# Rank 5 in the fixed round: a10, a migrant housed in u2 (the quota is 2).
A10 = 4


def altered(change):
    data = copy.deepcopy(ROUND)
    change(data)
    return data


def test_the_fixed_round_is_what_the_alterations_below_assume():
    record = ROUND["applicants"][A10]
    assert (record["id"], record["rank"], record["migrant"]) == ("a10", 5, True)
    assert ROUND["allocation"]["a10"] == "u2"
    assert ROUND["unallocated"]["a21"] == "migrant_quota_reached"
    assert ROUND["applicants"][0]["id"] == "a35"


def test_an_untouched_export_verifies():
    result = verify(copy.deepcopy(ROUND))
    assert result.ok
    assert (
        result.message() == "verified: round t1, 40 applicants, 15 units, 15 allocated"
    )
    assert (
        result.message("zh")
        == "验证通过：轮次 t1，申请人 40 户，房源 15 套，已配租 15 套"
    )
    assert result.difference is None


def test_the_draw_output_verifies_without_a_json_round_trip():
    assert verify(fixed_round()).ok


def test_reordering_records_in_the_file_changes_nothing():
    data = altered(lambda d: (d["applicants"].reverse(), d["units"].reverse()))
    assert verify(data).ok


def other_value(field, value):
    """Return a different value of the same type for a field of the fixed round."""
    return {
        "id": lambda v: v + "x",
        "priority": lambda v: "elderly" if v != "elderly" else None,
        "score": lambda v: v + 1,
        "waiting_since": lambda v: "2012-12-31",
        "household_size": lambda v: v + 1,
        "preferences": lambda v: v[1:] if v else ["e2"],
        "migrant": lambda v: not v,
        "refusals": lambda v: v + 1,
        "estate": lambda v: "e1" if v != "e1" else "e2",
        "bedrooms": lambda v: v + 1,
        "suits": lambda v: [*v, 9],
    }[field](value)


def set_applicant(field, value):
    return lambda d: d["applicants"][A10].__setitem__(field, value)


def set_unit(field, value):
    return lambda d: d["units"][1].__setitem__(field, value)


def set_top(field, value):
    return lambda d: d.__setitem__(field, value)


def set_config(field, value):
    return lambda d: d["ranking_config"].__setitem__(field, value)


LIST_HASH = "list_sha256 does not match the applicants and units"
INPUT_CHANGES = [
    *[
        pytest.param(
            set_applicant(f, other_value(f, ROUND["applicants"][A10][f])), id=f
        )
        for f in APPLICANT_FIELDS
    ],
    pytest.param(
        set_applicant("preferences", ["e2", "e3"][::-1]), id="preferences-reordered"
    ),
    pytest.param(
        set_applicant("preferences", ["e3", "e1", "e2"]), id="preferences-added"
    ),
    *[
        pytest.param(set_unit(f, other_value(f, ROUND["units"][1][f])), id=f"unit-{f}")
        for f in UNIT_FIELDS
    ],
    pytest.param(set_unit("suits", [2, 1]), id="unit-suits-reordered"),
    pytest.param(set_top("round_id", "t2"), id="round_id"),
    pytest.param(set_top("migrant_quota", 3), id="migrant_quota"),
    pytest.param(set_top("migrant_quota", None), id="migrant_quota-removed"),
    pytest.param(set_config("version", "test.2"), id="config-version"),
    pytest.param(
        set_config("priority_groups", ["elderly", "disability", "low_income"]),
        id="config-priority_groups",
    ),
    pytest.param(set_config("refusal_limit", 3), id="config-refusal_limit"),
    pytest.param(set_config("refusal_demotion", "end_of_list"), id="config-demotion"),
    pytest.param(set_config("status", "adopted"), id="config-status"),
    pytest.param(set_config("labels", {"elderly": {"en": "Old"}}), id="config-labels"),
    pytest.param(lambda d: d["units"].pop(), id="unit-removed"),
    pytest.param(lambda d: d["applicants"].pop(), id="applicant-removed"),
    pytest.param(set_top("list_sha256", "0" * 64), id="list_sha256"),
]


def test_the_alterations_cover_every_field():
    changed = {p.id for p in INPUT_CHANGES}
    assert set(APPLICANT_FIELDS) <= changed
    assert {f"unit-{f}" for f in UNIT_FIELDS} <= changed


@pytest.mark.parametrize("change", INPUT_CHANGES)
def test_any_altered_input_breaks_the_list_hash(change):
    data = altered(change)
    result = verify(data)
    assert not result.ok
    assert result.check == "list_sha256"
    assert result.difference.startswith(
        f"{LIST_HASH}: the file says {data['list_sha256']}"
    )


@pytest.mark.parametrize(
    ("change", "difference"),
    [
        pytest.param(
            set_top("seed_commitment", "f" * 64),
            f"seed does not match seed_commitment: the file says {'f' * 64}, "
            f"SHA-256 of the seed is {COMMITMENT}",
            id="seed_commitment",
        ),
        pytest.param(
            set_top("seed", ZERO_SEED),
            f"seed does not match seed_commitment: the file says {COMMITMENT}, SHA-256 "
            "of the seed is 60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55",
            id="seed",
        ),
        pytest.param(
            set_top("seed", SEED.upper()),
            f"seed is not 64 lowercase hex characters: {SEED.upper()!r}",
            id="seed-uppercase",
        ),
        pytest.param(
            set_applicant("tie_break", "0" * 64),
            f"applicant a10: tie_break {'0' * 64} in the file, "
            f"{ROUND['applicants'][A10]['tie_break']} when recomputed from the seed",
            id="tie_break",
        ),
        pytest.param(
            set_applicant("rank", 6),
            "applicant a10: rank 6 in the file, 5 when recomputed",
            id="rank",
        ),
        pytest.param(
            lambda d: d["allocation"].__setitem__("a10", "u1"),
            "allocation of a10: file says u1, recomputed u2",
            id="allocation-changed",
        ),
        pytest.param(
            lambda d: d["allocation"].pop("a10"),
            "allocation of a10: file says no unit, recomputed u2",
            id="allocation-removed",
        ),
        pytest.param(
            lambda d: d["allocation"].__setitem__("a21", "u3"),
            "allocation of a21: file says u3, recomputed no unit",
            id="allocation-added",
        ),
        pytest.param(
            lambda d: d["allocation"].__setitem__("zz", "u3"),
            "allocation names zz, who is not an applicant in the round",
            id="allocation-stranger",
        ),
        pytest.param(
            lambda d: d["unallocated"].__setitem__("a21", "units_taken"),
            "unallocated reason of a21: file says units_taken, "
            "recomputed migrant_quota_reached",
            id="reason-changed",
        ),
        pytest.param(
            lambda d: d["unallocated"].pop("a21"),
            "unallocated reason of a21: file says none, recomputed migrant_quota_reached",
            id="reason-removed",
        ),
        pytest.param(
            lambda d: d["unallocated"].__setitem__("a10", "units_taken"),
            "unallocated reason of a10: file says units_taken, recomputed none",
            id="reason-added",
        ),
    ],
)
def test_an_altered_result_is_named_in_plain_words(change, difference):
    result = verify(altered(change))
    assert not result.ok
    assert result.difference == difference


def test_the_first_difference_in_file_order_is_reported():
    def swap(data):
        first, second = data["applicants"][0], data["applicants"][1]
        first["rank"], second["rank"] = 2, 1

    assert verify(altered(swap)).difference == (
        "applicant a35: rank 2 in the file, 1 when recomputed"
    )


def rehash(data):
    parsed = parse_round(data)
    frozen = frozen_list(
        parsed.applicants,
        parsed.units,
        parsed.config,
        round_id=parsed.round_id,
        migrant_quota=parsed.migrant_quota,
    )
    data["list_sha256"] = sha256_hex(canonical_json(frozen))


def forged(data):
    """Raise a10's score past everyone in its group and recompute list_sha256."""
    data["applicants"][A10]["score"] = 5
    rehash(data)


def test_a_forger_who_rehashes_the_list_is_caught_by_the_ranks():
    assert verify(altered(forged)).difference == (
        "applicant a35: rank 1 in the file, 2 when recomputed"
    )


def test_a_consistent_forgery_is_caught_by_the_published_list_hash():
    data = altered(forged)
    for record in data["applicants"]:  # rank a10 first, as a forger would
        record["rank"] = record["rank"] + 1 if record["rank"] < 5 else record["rank"]
    data["applicants"][A10]["rank"] = 1
    assert verify(data).ok
    result = verify(data, expected_list_sha256=HASH)
    assert result.difference == (
        f"list_sha256 in the file ({data['list_sha256']}) is not the published one "
        f"({HASH})"
    )


def test_the_published_seed_commitment_is_checked_when_given():
    result = verify(copy.deepcopy(ROUND), expected_seed_commitment="a" * 64)
    assert result.check == "published_seed_commitment"
    assert verify(
        copy.deepcopy(ROUND),
        expected_list_sha256=HASH,
        expected_seed_commitment=COMMITMENT,
    ).ok


def test_every_single_field_of_every_applicant_and_unit_is_covered():
    failures = []
    for index, record in enumerate(ROUND["applicants"]):
        for field in (*APPLICANT_FIELDS, "rank", "tie_break"):
            if field == "rank":
                value = record["rank"] % len(ROUND["applicants"]) + 1
            elif field == "tie_break":
                value = "f" * 64
            else:
                value = other_value(field, record[field])
            data = altered(
                lambda d, i=index, f=field, v=value: d["applicants"][i].update({f: v})
            )
            if verify(data).ok:
                failures.append((record["id"], field))
    for index, record in enumerate(ROUND["units"]):
        for field in UNIT_FIELDS:
            value = other_value(field, record[field])
            data = altered(
                lambda d, i=index, f=field, v=value: d["units"][i].update({f: v})
            )
            if verify(data).ok:
                failures.append((record["id"], field))
    assert failures == []


def test_the_difference_reads_in_chinese_too():
    result = verify(altered(set_applicant("rank", 6)))
    assert result.message("zh") == "申请人 a10：文件中排名 6，重新计算为 5"


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("seed"), "missing field 'seed'"),
        (set_top("published_at", "2015-06-01"), "unknown field 'published_at'"),
        (set_top("format", "other/2"), "format is 'other/2'"),
        (set_top("allocation", []), "allocation must map applicant ids to strings"),
        (set_top("applicants", {}), "applicants must be a list"),
        (set_top("seed", 5), "seed must be a string"),
        (set_applicant("rank", "5"), "applicant a10: rank must be a whole number"),
        (
            lambda d: d["applicants"][A10].pop("tie_break"),
            "a10: missing field 'tie_break'",
        ),
        (set_applicant("priority", "veteran"), "priority 'veteran' is not one of"),
        (set_config("refusal_limit", "2"), "refusal_limit must be a whole number"),
        (lambda d: d["applicants"].append(d["applicants"][0]), "a35 is listed twice"),
    ],
)
def test_a_malformed_file_is_refused_with_the_reason(change, message):
    with pytest.raises(RoundFormatError, match=message):
        verify(altered(change))
