"""Paginate, sort and filter a long table the same way on every page (issue 14,
deliverable 6).

A view states the sort keys it allows and the filters it reads; anything else in
the query string is ignored, so a crafted `?sort=` never reaches a lookup.
Pages are Django's `Paginator`; templates show them with
`{% include "includes/pagination.html" %}` and sortable headers with
`{% include "includes/sort_header.html" with column=listing.columns.KEY %}`.
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlencode

from django.core.paginator import Page, Paginator

PER_PAGE = 50


@dataclass(frozen=True)
class Column:
    """A sortable column's link and its current order, for `aria-sort`."""

    label: str
    url: str
    aria_sort: str  # "ascending", "descending" or "none"


@dataclass
class Listing:
    page: Page
    sort: str
    descending: bool
    filters: dict[str, str]
    query: str  # the query string without `page`, for the pager's links
    columns: dict[str, Column] = field(default_factory=dict)

    @property
    def rows(self) -> list:
        return list(self.page.object_list)


def listing(
    params,
    rows: Iterable,
    *,
    sorts: dict[str, tuple[str, Callable]],
    default_sort: str,
    filters: dict[str, Callable[[object, str], bool]] | None = None,
    keep: Sequence[str] = (),
    per_page: int | None = None,
) -> Listing:
    """Return one page of `rows`, filtered and sorted as `params` (request.GET) ask.

    `sorts` maps each allowed key to (column label, key function); `filters`
    maps a parameter to a predicate (row, value) applied when the value is not
    blank. `?order=desc` reverses; unknown sort keys fall back to the default.
    Parameters named in `keep` (e.g. the page's date) stay in every link.
    """
    sort = params.get("sort", "")
    if sort not in sorts:
        sort = default_sort
    descending = params.get("order") == "desc"
    chosen = {name: params.get(name, "").strip() for name in (filters or {})}
    kept = [
        row
        for row in rows
        if all(
            test(row, chosen[name])
            for name, test in (filters or {}).items()
            if chosen[name]
        )
    ]
    kept.sort(key=sorts[sort][1], reverse=descending)
    page = Paginator(kept, per_page or PER_PAGE).get_page(params.get("page"))
    shown = {name: params[name] for name in keep if params.get(name)}
    shown |= {name: value for name, value in chosen.items() if value}
    state = {**shown, "sort": sort, **({"order": "desc"} if descending else {})}
    columns = {}
    for key, (label, _key) in sorts.items():
        flip = key == sort and not descending
        columns[key] = Column(
            label=label,
            url="?"
            + urlencode({**shown, "sort": key, **({"order": "desc"} if flip else {})}),
            aria_sort=(
                ("descending" if descending else "ascending") if key == sort else "none"
            ),
        )
    return Listing(
        page=page,
        sort=sort,
        descending=descending,
        filters=chosen,
        query=urlencode(state),
        columns=columns,
    )


def ranked(order: Sequence[str]) -> Callable[[str], int]:
    """Return a key function putting values in `order` first, others after."""
    position = {value: index for index, value in enumerate(order)}
    return lambda value: position.get(value, len(position))
