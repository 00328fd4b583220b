"""Rank the public rental housing waiting list and allocate units verifiably (3.8).

A plain package (no Django): the housing app calls it to freeze a list, draw a
round and publish round.json; anyone can recompute the round with ``verify``.
The protocol and the file format are described in ``equiserve.allocation.round``.
The ranking itself is the plan's (``plans/<plan>/housing/ranking-v<N>.yaml``, read
by ``equiserve.housing.ranking``); this package ships none of its own.
"""

from equiserve.allocation.config import RankingConfig
from equiserve.allocation.lottery import (
    canonical_json,
    new_seed,
    seed_commitment,
    sha256_hex,
    tie_break,
)
from equiserve.allocation.model import Applicant, RoundFormatError, Unit
from equiserve.allocation.ranking import rank
from equiserve.allocation.round import (
    FORMAT,
    RoundMismatch,
    draw_round,
    frozen_list,
    list_sha256,
)
from equiserve.allocation.serial import REASONS, Allocation, allocate
from equiserve.allocation.verify import (
    RoundFile,
    VerifyResult,
    parse_round,
    read_round,
    verify,
)

__all__ = [
    "FORMAT",
    "REASONS",
    "Allocation",
    "Applicant",
    "RankingConfig",
    "RoundFile",
    "RoundFormatError",
    "RoundMismatch",
    "Unit",
    "VerifyResult",
    "allocate",
    "canonical_json",
    "draw_round",
    "frozen_list",
    "list_sha256",
    "new_seed",
    "parse_round",
    "rank",
    "read_round",
    "seed_commitment",
    "sha256_hex",
    "tie_break",
    "verify",
]
