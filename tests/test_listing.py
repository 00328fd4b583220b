"""Long lists are paged, sorted by whitelisted keys and filtered the same way on
every page (issue 14, deliverable 6)."""

from django.http import QueryDict

from equiserve.listing import listing, ranked

ROWS = [
    {"name": "c", "town": "t1", "status": "met", "n": 3},
    {"name": "a", "town": "t2", "status": "short", "n": 1},
    {"name": "b", "town": "t1", "status": "short", "n": 2},
]
SORTS = {
    "status": ("Status", lambda r: (ranked(["short", "met"])(r["status"]), r["name"])),
    "name": ("Name", lambda r: r["name"]),
}
FILTERS = {
    "town": lambda r, v: r["town"] == v,
    "status": lambda r, v: r["status"] == v,
}


def names(query: str, **options) -> list[str]:
    found = listing(
        QueryDict(query),
        ROWS,
        sorts=SORTS,
        default_sort="status",
        filters=FILTERS,
        **options,
    )
    return [row["name"] for row in found.rows]


def test_failing_rows_come_first_by_default():
    assert names("") == ["a", "b", "c"]


def test_an_unknown_sort_key_falls_back_to_the_default_and_never_reaches_a_row():
    assert names("sort=__class__") == ["a", "b", "c"]
    assert names("sort=n") == ["a", "b", "c"]  # a row field, but not whitelisted


def test_sort_and_reverse_order():
    assert names("sort=name") == ["a", "b", "c"]
    assert names("sort=name&order=desc") == ["c", "b", "a"]


def test_filters_combine_and_blank_values_are_ignored():
    assert names("town=t1") == ["b", "c"]
    assert names("town=t1&status=short") == ["b"]
    assert names("town=&status=") == ["a", "b", "c"]


def test_pages_keep_filters_sort_and_kept_parameters_in_their_links():
    found = listing(
        QueryDict("town=t1&sort=name&date=2015-06-01&page=2&junk=1"),
        ROWS,
        sorts=SORTS,
        default_sort="status",
        filters=FILTERS,
        keep=("date",),
        per_page=1,
    )
    assert [row["name"] for row in found.rows] == ["c"]
    assert (found.page.number, found.page.paginator.num_pages) == (2, 2)
    assert found.query == "date=2015-06-01&town=t1&sort=name"
    # The current column's link reverses it; the others sort ascending.
    assert found.columns["name"].url == "?date=2015-06-01&town=t1&sort=name&order=desc"
    assert found.columns["name"].aria_sort == "ascending"
    assert found.columns["status"].url == "?date=2015-06-01&town=t1&sort=status"
    assert found.columns["status"].aria_sort == "none"


def test_a_page_past_the_end_shows_the_last_page():
    found = listing(
        QueryDict("page=99"), ROWS, sorts=SORTS, default_sort="name", per_page=2
    )
    assert [row["name"] for row in found.rows] == ["c"]
