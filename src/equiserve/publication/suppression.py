"""Statistical disclosure control for every published count (clause 4.4, issue 18).

- **Primary suppression**: a count from 1 to 9 is published as "<10" (0 is not
  personal and is shown);
- **complementary suppression**: in a group of cells published with their total
  (a programme's towns and the city), one hidden cell could be worked out as the
  total less the others; so when a group hides exactly one cell, the smallest
  other cell above 0 is hidden too, or the total when there is none. A total
  below 10 is itself "<10".

An amount belongs to its count: it is hidden wherever the count is (a payment
to fewer than 10 people is as personal as their number).
"""

from __future__ import annotations

from collections.abc import Sequence

THRESHOLD = 10
SUPPRESSED = "<10"


def primary(count: int) -> bool:
    return 0 < count < THRESHOLD


def suppress_group(cells: Sequence[int], total: int) -> tuple[list[bool], bool]:
    """Return which cells and whether the total are hidden, for cells summing to total.

    Cells are counts of disjoint sets of people whose sum is `total`.
    """
    hidden = [primary(count) for count in cells]
    total_hidden = primary(total)
    if total_hidden:
        # Every cell is then below 10 too: all non-zero cells are hidden.
        return [count > 0 for count in cells], True
    if sum(hidden) == 1:
        candidates = [
            (count, index)
            for index, count in enumerate(cells)
            if count > 0 and not hidden[index]
        ]
        if candidates:
            hidden[min(candidates)[1]] = True
        else:
            total_hidden = True
    return hidden, total_hidden


def shown(count: int, hidden: bool) -> str:
    """Return a count as published: "<10" when hidden (or from 1 to 9)."""
    return SUPPRESSED if hidden or primary(count) else str(count)
