"""Rank a frozen waiting list by the published configuration and the lottery."""

from collections.abc import Sequence

from equiserve.allocation.config import RankingConfig
from equiserve.allocation.lottery import tie_breaks
from equiserve.allocation.model import Applicant, RoundFormatError


def check_priorities(applicants: Sequence[Applicant], config: RankingConfig) -> None:
    """Refuse an applicant whose priority group the configuration does not list."""
    groups = set(config.priority_groups)
    for applicant in applicants:
        if applicant.priority is not None and applicant.priority not in groups:
            raise RoundFormatError(
                f"applicant {applicant.id}: priority {applicant.priority!r} is not one "
                f"of the ranking's priority groups {list(config.priority_groups)}"
            )


def rank(
    applicants: Sequence[Applicant], config: RankingConfig, seed: str
) -> tuple[list[Applicant], dict[str, str]]:
    """Return the applicants in rank order (first = rank 1) and their tie-breaks.

    The order is the one the configuration states: priority group, score
    (descending), waiting_since (earlier first), then the lower tie-break
    SHA-256(seed ‖ id); refusals at or past the limit move a household down.
    """
    check_priorities(applicants, config)
    draws = tie_breaks(seed, [applicant.id for applicant in applicants])
    limit = config.refusal_limit
    group_index = {group: i for i, group in enumerate(config.priority_groups)}
    no_group = len(config.priority_groups)
    demote_within_group = config.refusal_demotion == "end_of_group"

    def key(applicant: Applicant) -> tuple:
        group = (
            no_group if applicant.priority is None else group_index[applicant.priority]
        )
        demoted = applicant.refusals >= limit
        # The id closes the key only so that the order is total in every case.
        tail = (
            -applicant.score,
            applicant.waiting_since,
            draws[applicant.id],
            applicant.id,
        )
        if demote_within_group:
            return (group, demoted, *tail)
        return (demoted, group, *tail)

    return sorted(applicants, key=key), draws
