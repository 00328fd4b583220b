"""Colour a chart's figure against its target, never by its size (issue 14,
deliverable 7: 77 % against a 100 % target was drawn green).

Charts read the category, not a gradient: `met` (the target is reached),
`not_met` (it is not), `no_target` (the plan sets none: a neutral colour),
`no_data` (no figure). The JSON a chart reads carries it beside the value, so
the script colours without judging.
"""

MET, NOT_MET, NO_TARGET, NO_DATA = "met", "not_met", "no_target", "no_data"
CATEGORIES = (MET, NOT_MET, NO_TARGET, NO_DATA)


def against_target(
    value: float | None, target: float | None, direction: str = "at_least"
) -> str:
    """Return how `value` stands against `target`: met, not_met, no_target, no_data.

    `direction` is the target's: "at_least" (coverage, shares) or "at_most"
    (unemployment, gaps). An unknown value is never counted as met.
    """
    if target is None:
        return NO_TARGET
    if value is None:
        return NO_DATA
    if direction == "at_most":
        return MET if value <= target else NOT_MET
    if direction == "at_least":
        return MET if value >= target else NOT_MET
    raise ValueError(f"unknown target direction {direction!r}")
