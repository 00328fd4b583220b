"""Masking of resident ID numbers, and compact lists of who was shown."""

from collections.abc import Iterable

SHOWN_HEAD = 6
SHOWN_TAIL = 4


def mask_id_number(number: str) -> str:
    """Return the ID number with all but its first 6 and last 4 characters hidden.

    `440102199001011234` becomes `440102********1234` (issue 4): the region and
    the last digits identify a record to an officer on the phone, the birth
    date stays hidden. A number too short to keep anything hidden is all stars.

    The hidden characters are exactly the birth date, so nothing shown beside a
    masked number may give it back: lists, exports and the API list show the
    year of birth only (issue 10, finding 1).
    """
    number = number or ""
    hidden = len(number) - SHOWN_HEAD - SHOWN_TAIL
    if hidden <= 0:
        return "*" * len(number)
    return number[:SHOWN_HEAD] + "*" * hidden + number[-SHOWN_TAIL:]


def looks_like_id_number(text: str) -> bool:
    """Return whether `text` could be a resident ID number (15 or 18 characters)."""
    text = (text or "").strip()
    return len(text) in (15, 18) and text[:-1].isdigit()


def masked_search(filters: dict) -> dict:
    """Return the filters with an ID number typed as the search term `q` masked."""
    query = filters.get("q", "")
    if not looks_like_id_number(query):
        return filters
    return {**filters, "q": mask_id_number(query.strip())}


def id_ranges(ids: Iterable[int]) -> list[list[int]]:
    """Return sorted ids as inclusive [first, last] runs: [1, 2, 3, 7] → [[1, 3], [7, 7]].

    An export of a town's persons is a few runs of consecutive ids, so the audit
    entry can name every person shown without growing with the town.
    """
    runs: list[list[int]] = []
    for pk in sorted(set(ids)):
        if runs and pk == runs[-1][1] + 1:
            runs[-1][1] = pk
        else:
            runs.append([pk, pk])
    return runs


def in_ranges(pk: int, runs: list[list[int]]) -> bool:
    """Return whether `pk` falls in one of the [first, last] runs."""
    return any(first <= pk <= last for first, last in runs)
