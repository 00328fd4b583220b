import pytest

from equiserve.allocation import canonical_json, new_seed, seed_commitment, tie_break
from equiserve.allocation.lottery import is_seed
from equiserve.allocation.tests.factories import ZERO_SEED

# Worked out with coreutils, as the module docstring tells the public to:
#   printf '%s' "$S" | sha256sum ;  printf '%s%s' "$S" "$ID" | sha256sum


def test_the_commitment_is_sha256_of_the_seed_hex_string():
    assert seed_commitment(ZERO_SEED) == (
        "60e05bd1b195af2f94112fa7197a5c88289058840ce7c6df9693756bc6250f55"
    )


@pytest.mark.parametrize(
    ("applicant_id", "expected"),
    [
        ("a1", "4593098d0bf3fc0b4604bb1f9a2d8d6581bee7326727c306f380df1490f33619"),
        ("申请人7", "b1f069500544f0bf835dc7fb237e0f9909b8333ab579ef3be0849df2467ff0b0"),
    ],
)
def test_the_tie_break_hashes_the_seed_then_the_utf8_id(applicant_id, expected):
    assert tie_break(ZERO_SEED, applicant_id) == expected


def test_a_new_seed_is_256_random_bits_in_lowercase_hex():
    seeds = {new_seed() for _ in range(20)}
    assert len(seeds) == 20
    assert all(is_seed(seed) for seed in seeds)


@pytest.mark.parametrize("seed", ["0" * 63, "0" * 65, "A" * 64, "g" * 64, 12])
def test_a_malformed_seed_is_refused(seed):
    with pytest.raises(ValueError, match="64 lowercase hex characters"):
        seed_commitment(seed)


def test_canonical_json_sorts_keys_drops_spaces_and_keeps_utf8():
    assert canonical_json({"b": [1, 2.5], "a": "小榄", "c": None}) == (
        '{"a":"小榄","b":[1,2.5],"c":null}'.encode()
    )


def test_canonical_json_refuses_nan():
    with pytest.raises(ValueError):
        canonical_json({"score": float("nan")})
