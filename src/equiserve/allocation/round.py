"""Draw a round and write round.json, the file anyone can recompute it from.

The protocol (clause 3.8: "fair, just and open"; issue 7):

1. Freeze the eligible list. ``list_sha256`` is SHA-256 of the canonical JSON
   (see ``lottery.canonical_json``) of the *frozen list*::

       {"format", "round_id", "ranking_config", "migrant_quota",
        "applicants": [{"id", "priority", "score", "waiting_since",
                        "household_size", "preferences", "migrant", "refusals"}],
        "units": [{"id", "estate", "bedrooms", "suits"}]}

   with applicants and units sorted by id. It holds every input of the ranking and
   the allocation and nothing that depends on the seed; publish it.
2. Draw a secret seed with ``new_seed()`` and publish ``seed_commitment`` =
   SHA-256 of the seed's hex string, before the draw.
3. At the draw, reveal the seed. Each applicant's tie-break is
   SHA-256(seed ‖ applicant id); rank and allocate (``ranking``, ``serial``).

round.json is the frozen list plus the results::

    {"format", "round_id", "ranking_config", "migrant_quota",
     "applicants": [{... the frozen fields ..., "rank", "tie_break"}] in rank order,
     "units": [...], "list_sha256", "seed_commitment", "seed",
     "allocation": {applicant id: unit id}, "unallocated": {applicant id: reason}}

``verify`` recomputes all of it from the file alone.
"""

from collections.abc import Iterable, Mapping

from equiserve.allocation.config import RankingConfig
from equiserve.allocation.lottery import canonical_json, seed_commitment, sha256_hex
from equiserve.allocation.model import (
    Applicant,
    RoundFormatError,
    Unit,
    check_unique_ids,
)
from equiserve.allocation.ranking import check_priorities, rank
from equiserve.allocation.serial import allocate

FORMAT = "equiserve.housing.round/1"


class RoundMismatch(ValueError):
    """Say that a draw's inputs are not the ones whose hashes were published."""


def _applicants(items: Iterable[Applicant | Mapping]) -> list[Applicant]:
    return [
        item if isinstance(item, Applicant) else Applicant.from_dict(dict(item))
        for item in items
    ]


def _units(items: Iterable[Unit | Mapping]) -> list[Unit]:
    return [
        item if isinstance(item, Unit) else Unit.from_dict(dict(item)) for item in items
    ]


def check_quota(migrant_quota: object) -> None:
    """Refuse a migrant quota that is not a whole number ≥ 0 or None."""
    if migrant_quota is not None and (
        type(migrant_quota) is not int or migrant_quota < 0
    ):
        raise RoundFormatError(
            f"migrant_quota must be a whole number ≥ 0 or null, not {migrant_quota!r}"
        )


def check_round_id(round_id: object) -> None:
    """Refuse a round id that is not a non-empty string."""
    if not isinstance(round_id, str) or not round_id:
        raise RoundFormatError(f"round_id must be a non-empty string, not {round_id!r}")


def frozen_list(
    applicants: Iterable[Applicant],
    units: Iterable[Unit],
    config: RankingConfig,
    *,
    round_id: str,
    migrant_quota: int | None,
) -> dict:
    """Return the frozen list, the document that ``list_sha256`` hashes."""
    return {
        "format": FORMAT,
        "round_id": round_id,
        "ranking_config": config.to_dict(),
        "migrant_quota": migrant_quota,
        "applicants": [a.to_dict() for a in sorted(applicants, key=lambda a: a.id)],
        "units": [u.to_dict() for u in sorted(units, key=lambda u: u.id)],
    }


def list_sha256(
    applicants: Iterable[Applicant | Mapping],
    units: Iterable[Unit | Mapping],
    config: RankingConfig,
    *,
    round_id: str,
    migrant_quota: int | None = None,
) -> str:
    """Freeze the eligible list and return its SHA-256, to publish before the draw."""
    applicants, units = _applicants(applicants), _units(units)
    _check_round(applicants, units, config, round_id, migrant_quota)
    return sha256_hex(
        canonical_json(
            frozen_list(
                applicants,
                units,
                config,
                round_id=round_id,
                migrant_quota=migrant_quota,
            )
        )
    )


def _check_round(
    applicants: list[Applicant],
    units: list[Unit],
    config: RankingConfig,
    round_id: object,
    migrant_quota: object,
) -> None:
    check_round_id(round_id)
    check_quota(migrant_quota)
    check_unique_ids(applicants, units)
    check_priorities(applicants, config)


def draw_round(
    applicants: Iterable[Applicant | Mapping],
    units: Iterable[Unit | Mapping],
    config: RankingConfig,
    seed: str,
    *,
    round_id: str,
    migrant_quota: int | None = None,
    expected_list_sha256: str | None = None,
    expected_seed_commitment: str | None = None,
) -> dict:
    """Rank the frozen list, allocate the units and return the round.json data.

    Give the hashes published before the draw as `expected_list_sha256` and
    `expected_seed_commitment`: the draw refuses (RoundMismatch) when the list or
    the seed is not the one they commit to.
    """
    applicants, units = _applicants(applicants), _units(units)
    _check_round(applicants, units, config, round_id, migrant_quota)
    frozen = frozen_list(
        applicants, units, config, round_id=round_id, migrant_quota=migrant_quota
    )
    list_hash = sha256_hex(canonical_json(frozen))
    commitment = seed_commitment(seed)
    if expected_list_sha256 is not None and expected_list_sha256 != list_hash:
        raise RoundMismatch(
            f"the list changed after it was frozen: published list_sha256 "
            f"{expected_list_sha256}, list now hashes to {list_hash}"
        )
    if expected_seed_commitment is not None and expected_seed_commitment != commitment:
        raise RoundMismatch("the seed does not match the published seed_commitment")
    ranked, draws = rank(applicants, config, seed)
    result = allocate(ranked, units, migrant_quota)
    frozen_records = {record["id"]: record for record in frozen["applicants"]}
    records = [
        {
            **frozen_records[applicant.id],
            "rank": position,
            "tie_break": draws[applicant.id],
        }
        for position, applicant in enumerate(ranked, start=1)
    ]
    return {
        "format": FORMAT,
        "round_id": round_id,
        "ranking_config": frozen["ranking_config"],
        "migrant_quota": migrant_quota,
        "applicants": records,
        "units": frozen["units"],
        "list_sha256": list_hash,
        "seed_commitment": commitment,
        "seed": seed,
        "allocation": result.allocation,
        "unallocated": result.unallocated,
    }
