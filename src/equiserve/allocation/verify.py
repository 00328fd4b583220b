"""Recompute a round from its round.json alone and name the first difference.

The checks run in this order, and the first that fails is reported: the file's
format; list_sha256 against the frozen list in the file (and against the published
value, when given); the seed against seed_commitment (and the published one); each
applicant's tie_break; each rank; each allocation and reason, in rank order.

A file that is self-consistent can still be a forgery with new hashes: compare its
list_sha256 and seed_commitment with the ones published before the draw
(``expected_list_sha256``, ``expected_seed_commitment``).
"""

import json
from dataclasses import dataclass, field

from equiserve.allocation.config import RankingConfig
from equiserve.allocation.lottery import (
    canonical_json,
    is_seed,
    seed_commitment,
    sha256_hex,
)
from equiserve.allocation.model import (
    Applicant,
    RoundFormatError,
    Unit,
    check_unique_ids,
)
from equiserve.allocation.ranking import check_priorities, rank
from equiserve.allocation.round import (
    FORMAT,
    check_quota,
    check_round_id,
    frozen_list,
)
from equiserve.allocation.serial import allocate

TOP_FIELDS = (
    "format",
    "round_id",
    "ranking_config",
    "migrant_quota",
    "applicants",
    "units",
    "list_sha256",
    "seed_commitment",
    "seed",
    "allocation",
    "unallocated",
)
RESULT_FIELDS = ("rank", "tie_break")

_MESSAGES: dict[str, dict[str, str]] = {
    "verified": {
        "en": "verified: round {round_id}, {applicants} applicants, {units} units, "
        "{allocated} allocated",
        "zh": "验证通过：轮次 {round_id}，申请人 {applicants} 户，房源 {units} 套，"
        "已配租 {allocated} 套",
    },
    "list_sha256": {
        "en": "list_sha256 does not match the applicants and units: the file says "
        "{file}, the applicants, units and settings in the file hash to {recomputed}",
        "zh": "list_sha256 与申请人和房源不符：文件中为 {file}，按文件中的申请人、房源和"
        "设置重新计算为 {recomputed}",
    },
    "published_list_sha256": {
        "en": "list_sha256 in the file ({file}) is not the published one ({published})",
        "zh": "文件中的 list_sha256（{file}）与公布的（{published}）不同",
    },
    "seed_form": {
        "en": "seed is not 64 lowercase hex characters: {file!r}",
        "zh": "seed 不是 64 位小写十六进制字符：{file!r}",
    },
    "seed": {
        "en": "seed does not match seed_commitment: the file says {file}, SHA-256 of "
        "the seed is {recomputed}",
        "zh": "seed 与 seed_commitment 不符：文件中为 {file}，seed 的 SHA-256 为 "
        "{recomputed}",
    },
    "published_seed_commitment": {
        "en": "seed_commitment in the file ({file}) is not the published one "
        "({published})",
        "zh": "文件中的 seed_commitment（{file}）与公布的（{published}）不同",
    },
    "tie_break": {
        "en": "applicant {id}: tie_break {file} in the file, {recomputed} when "
        "recomputed from the seed",
        "zh": "申请人 {id}：文件中的 tie_break 为 {file}，由 seed 重新计算为 {recomputed}",
    },
    "rank": {
        "en": "applicant {id}: rank {file} in the file, {recomputed} when recomputed",
        "zh": "申请人 {id}：文件中排名 {file}，重新计算为 {recomputed}",
    },
    "allocation": {
        "en": "allocation of {id}: file says {file}, recomputed {recomputed}",
        "zh": "申请人 {id} 的配租：文件中为 {file}，重新计算为 {recomputed}",
    },
    "reason": {
        "en": "unallocated reason of {id}: file says {file}, recomputed {recomputed}",
        "zh": "申请人 {id} 的未配租原因：文件中为 {file}，重新计算为 {recomputed}",
    },
    "not_an_applicant": {
        "en": "{section} names {id}, who is not an applicant in the round",
        "zh": "{section} 中的 {id} 不是本轮申请人",
    },
}
# How a missing value reads in each message.
_NONE = {
    "allocation": {"en": "no unit", "zh": "无房源"},
    "reason": {"en": "none", "zh": "无"},
}


@dataclass(frozen=True)
class VerifyResult:
    """Say whether a round recomputes exactly, and if not, the first difference.

    `check` names the failed check (a key of the message table: "list_sha256",
    "seed", "tie_break", "rank", "allocation", ...); `details` fills its message.
    """

    ok: bool
    round_id: str
    applicants: int
    units: int
    allocated: int
    check: str | None = None
    details: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        """Return the outcome in plain words, in English ("en") or Chinese ("zh")."""
        if self.ok:
            return _MESSAGES["verified"][lang].format(
                round_id=self.round_id,
                applicants=self.applicants,
                units=self.units,
                allocated=self.allocated,
            )
        values = {
            key: _NONE[self.check][lang] if value is None else value
            for key, value in self.details.items()
        }
        return _MESSAGES[self.check][lang].format(**values)

    @property
    def difference(self) -> str | None:
        """Return the first difference in English, or None when the round verified."""
        return None if self.ok else self.message("en")


@dataclass(frozen=True)
class RoundFile:
    """Hold a parsed round.json: its inputs as objects, its results as given."""

    round_id: str
    config: RankingConfig
    migrant_quota: int | None
    applicants: list[Applicant]
    ranks: dict[str, int]
    tie_breaks: dict[str, str]
    units: list[Unit]
    list_sha256: str
    seed_commitment: str
    seed: str
    allocation: dict[str, str]
    unallocated: dict[str, str]


def read_round(text: str | bytes) -> object:
    """Decode round.json text, refusing an object that names a key twice.

    Parsers disagree on which of two equal keys wins, so such a file could show
    different allocations to different readers. Raise json.JSONDecodeError on
    broken JSON and RoundFormatError on a repeated key.
    """
    return json.loads(text, object_pairs_hook=_unique_keys)


def _unique_keys(pairs: list[tuple[str, object]]) -> dict:
    data = dict(pairs)
    if len(data) != len(pairs):
        seen: set[str] = set()
        for key, _ in pairs:
            if key in seen:
                raise RoundFormatError(f"the key {key!r} appears twice in one object")
            seen.add(key)
    return data


def parse_round(data: object) -> RoundFile:
    """Check the shape of round.json data and parse it; raise RoundFormatError."""
    if not isinstance(data, dict):
        raise RoundFormatError("a round file holds one JSON object")
    missing = [name for name in TOP_FIELDS if name not in data]
    if missing:
        raise RoundFormatError(f"missing field {missing[0]!r}")
    unknown = sorted(set(data) - set(TOP_FIELDS))
    if unknown:
        raise RoundFormatError(f"unknown field {unknown[0]!r}")
    if data["format"] != FORMAT:
        raise RoundFormatError(f"format is {data['format']!r}, this reads {FORMAT!r}")
    round_id = data["round_id"]
    check_round_id(round_id)
    quota = data["migrant_quota"]
    check_quota(quota)
    config = RankingConfig.from_dict(data["ranking_config"])
    for name in ("applicants", "units"):
        if not isinstance(data[name], list):
            raise RoundFormatError(f"{name} must be a list")
    applicants, ranks, draws = [], {}, {}
    for record in data["applicants"]:
        applicant = Applicant.from_dict(record, extra=RESULT_FIELDS)
        if type(record["rank"]) is not int or record["rank"] < 1:
            raise RoundFormatError(
                f"applicant {applicant.id}: rank must be a whole number ≥ 1, "
                f"not {record['rank']!r}"
            )
        if not isinstance(record["tie_break"], str):
            raise RoundFormatError(
                f"applicant {applicant.id}: tie_break must be a string"
            )
        applicants.append(applicant)
        ranks[applicant.id] = record["rank"]
        draws[applicant.id] = record["tie_break"]
    units = [Unit.from_dict(record) for record in data["units"]]
    check_unique_ids(applicants, units)
    check_priorities(applicants, config)
    for name in ("list_sha256", "seed_commitment", "seed"):
        if not isinstance(data[name], str):
            raise RoundFormatError(f"{name} must be a string")
    for name in ("allocation", "unallocated"):
        mapping = data[name]
        if not isinstance(mapping, dict) or not all(
            isinstance(value, str) for value in mapping.values()
        ):
            raise RoundFormatError(f"{name} must map applicant ids to strings")
    return RoundFile(
        round_id=round_id,
        config=config,
        migrant_quota=quota,
        applicants=applicants,
        ranks=ranks,
        tie_breaks=draws,
        units=units,
        list_sha256=data["list_sha256"],
        seed_commitment=data["seed_commitment"],
        seed=data["seed"],
        allocation=dict(data["allocation"]),
        unallocated=dict(data["unallocated"]),
    )


def verify(
    round_data: object,
    *,
    expected_list_sha256: str | None = None,
    expected_seed_commitment: str | None = None,
) -> VerifyResult:
    """Recompute a round from round.json data alone; report the first difference.

    Raise RoundFormatError when the data is not a well-formed round file.
    """
    parsed = parse_round(round_data)

    def fail(check: str, **details: object) -> VerifyResult:
        return VerifyResult(
            ok=False,
            round_id=parsed.round_id,
            applicants=len(parsed.applicants),
            units=len(parsed.units),
            allocated=len(parsed.allocation),
            check=check,
            details=details,
        )

    # parse_round has checked what list_sha256() would check again.
    frozen = frozen_list(
        parsed.applicants,
        parsed.units,
        parsed.config,
        round_id=parsed.round_id,
        migrant_quota=parsed.migrant_quota,
    )
    recomputed_hash = sha256_hex(canonical_json(frozen))
    if recomputed_hash != parsed.list_sha256:
        return fail("list_sha256", file=parsed.list_sha256, recomputed=recomputed_hash)
    if expected_list_sha256 is not None and expected_list_sha256 != parsed.list_sha256:
        return fail(
            "published_list_sha256",
            file=parsed.list_sha256,
            published=expected_list_sha256,
        )
    if not is_seed(parsed.seed):
        return fail("seed_form", file=parsed.seed)
    commitment = seed_commitment(parsed.seed)
    if commitment != parsed.seed_commitment:
        return fail("seed", file=parsed.seed_commitment, recomputed=commitment)
    if (
        expected_seed_commitment is not None
        and expected_seed_commitment != parsed.seed_commitment
    ):
        return fail(
            "published_seed_commitment",
            file=parsed.seed_commitment,
            published=expected_seed_commitment,
        )

    ranked, draws = rank(parsed.applicants, parsed.config, parsed.seed)
    for applicant in parsed.applicants:
        if parsed.tie_breaks[applicant.id] != draws[applicant.id]:
            return fail(
                "tie_break",
                id=applicant.id,
                file=parsed.tie_breaks[applicant.id],
                recomputed=draws[applicant.id],
            )
    ranks = {applicant.id: i for i, applicant in enumerate(ranked, start=1)}
    for applicant in parsed.applicants:
        if parsed.ranks[applicant.id] != ranks[applicant.id]:
            return fail(
                "rank",
                id=applicant.id,
                file=parsed.ranks[applicant.id],
                recomputed=ranks[applicant.id],
            )

    result = allocate(ranked, parsed.units, parsed.migrant_quota)
    for applicant in ranked:
        given = parsed.allocation.get(applicant.id)
        expected = result.allocation.get(applicant.id)
        if given != expected:
            return fail("allocation", id=applicant.id, file=given, recomputed=expected)
        given = parsed.unallocated.get(applicant.id)
        expected = result.unallocated.get(applicant.id)
        if given != expected:
            return fail("reason", id=applicant.id, file=given, recomputed=expected)
    for section in ("allocation", "unallocated"):
        for applicant_id in getattr(parsed, section):
            if applicant_id not in ranks:
                return fail("not_an_applicant", section=section, id=applicant_id)
    return VerifyResult(
        ok=True,
        round_id=parsed.round_id,
        applicants=len(parsed.applicants),
        units=len(parsed.units),
        allocated=len(result.allocation),
    )
