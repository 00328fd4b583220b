"""Limits every file import shares: the upload's size and the header's width.

Issue 10, finding 11: checking a header of 100,000 columns took minutes of
server time, and uploads had no size limit. An upload larger than
EQUISERVE_IMPORT_MAX_BYTES is refused before it is read; a header wider than
MAX_COLUMNS is refused before any row is; header checks are linear.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from django.conf import settings
from django.utils.translation import gettext as _

# No import of the project has more than about 40 columns.
MAX_COLUMNS = 200


def upload_size_error(size: int) -> str | None:
    """Return the message refusing an upload of `size` bytes, or None if it fits."""
    limit = settings.EQUISERVE_IMPORT_MAX_BYTES
    if size <= limit:
        return None
    return _("The file is %(size).1f MB; import at most %(limit).0f MB at a time.") % {
        "size": size / 2**20,
        "limit": limit / 2**20,
    }


def columns_error(count: int) -> str | None:
    """Return the message refusing a header of `count` columns, or None."""
    if count <= MAX_COLUMNS:
        return None
    return _("the header has more than %(limit)d columns") % {"limit": MAX_COLUMNS}


def rows_error(count: int, max_rows: int) -> str | None:
    """Return the message refusing `count` rows below the header, or None."""
    if count <= max_rows:
        return None
    return _(
        "the file has more than %(limit)d rows; import at most %(limit)d at a time"
    ) % {"limit": max_rows}


def duplicated(names: Iterable[str]) -> list[str]:
    """Return the names given more than once, sorted; linear in the names."""
    return sorted(name for name, count in Counter(names).items() if count > 1)


def xlsx_lines(sheet, max_rows: int) -> list[tuple]:
    """Return a read-only sheet's rows, at most MAX_COLUMNS + 1 cells wide.

    One column past the limit is read so that `columns_error` sees it; at most
    `max_rows` + 2 rows are read, so that a row count past the limit is seen
    without reading the rest of a huge sheet.
    """
    rows = sheet.iter_rows(
        max_col=MAX_COLUMNS + 1, max_row=max_rows + 2, values_only=True
    )
    return list(rows)


def header_width(cells: Iterable) -> int:
    """Return the number of columns up to the last non-empty header cell."""
    width = 0
    for index, cell in enumerate(cells, start=1):
        if cell not in (None, ""):
            width = index
    return width
