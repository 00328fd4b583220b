"""Hash the frozen list, commit to the seed and draw the tie-breaks (clause 3.8).

Everything here can be redone with standard tools. For a seed ``S`` (64 lowercase
hex characters) and an applicant id ``I``::

    printf '%s' "$S" | sha256sum          # seed_commitment
    printf '%s%s' "$S" "$I" | sha256sum   # tie_break of applicant I

``‖`` in SHA-256(seed ‖ applicant id) is plain concatenation of the ASCII bytes of
the seed's hex string and the UTF-8 bytes of the id, with nothing in between; the
seed has a fixed length, so no separator is needed.
"""

import hashlib
import json
import re
import secrets

SEED_BYTES = 32
_SEED = re.compile(r"[0-9a-f]{64}")


def canonical_json(value: object) -> bytes:
    """Encode a value as canonical JSON: sorted keys, no spaces, UTF-8, no NaN.

    This is Python's ``json.dumps(value, sort_keys=True, separators=(",", ":"),
    ensure_ascii=False, allow_nan=False)`` encoded as UTF-8.
    """
    text = json.dumps(
        value,
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
        allow_nan=False,
    )
    return text.encode("utf-8")


def sha256_hex(data: bytes) -> str:
    """Return the lowercase hex SHA-256 digest of some bytes."""
    return hashlib.sha256(data).hexdigest()


def is_seed(value: object) -> bool:
    """Tell whether a value is a well-formed seed: 64 lowercase hex characters."""
    return isinstance(value, str) and _SEED.fullmatch(value) is not None


def new_seed() -> str:
    """Draw a secret seed of 256 bits from the operating system, as lowercase hex."""
    return secrets.token_hex(SEED_BYTES)


def seed_commitment(seed: str) -> str:
    """Return SHA-256 of the seed's hex string, published before the draw."""
    _check_seed(seed)
    return sha256_hex(seed.encode("ascii"))


def tie_break(seed: str, applicant_id: str) -> str:
    """Return an applicant's lottery value, SHA-256(seed ‖ applicant id), as hex.

    The lower value wins a tie.
    """
    _check_seed(seed)
    return sha256_hex(seed.encode("ascii") + applicant_id.encode("utf-8"))


def tie_breaks(seed: str, applicant_ids: list[str]) -> dict[str, str]:
    """Return the lottery value of every applicant, keyed by id."""
    _check_seed(seed)
    prefix = hashlib.sha256(seed.encode("ascii"))
    values = {}
    for applicant_id in applicant_ids:
        digest = prefix.copy()
        digest.update(applicant_id.encode("utf-8"))
        values[applicant_id] = digest.hexdigest()
    return values


def _check_seed(seed: object) -> None:
    if not is_seed(seed):
        raise ValueError(
            f"a seed is 64 lowercase hex characters (256 bits), not {seed!r}"
        )
