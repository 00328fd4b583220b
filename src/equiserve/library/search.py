"""Search the union catalogue by title, author, ISBN or subject, Chinese included.

The work's `search_tokens` (see `tokens`) are indexed by SQLite FTS5 (the
`library_work_fts` table the migration keeps in step with triggers) or by a
PostgreSQL GIN index on the stored `search_vector` column, `to_tsvector('simple',
search_tokens)` (migrations 0002 and 0004); every token of
the query must match. A query that is an ISBN finds the work by its ISBN.
"""

from __future__ import annotations

from django.db import connection
from django.db.models import QuerySet
from django.db.models.expressions import RawSQL

from equiserve.library.marc import normalize_isbn
from equiserve.library.models import Work
from equiserve.library.tokens import query_tokens


def work_search(query: str, first: int | None = None) -> QuerySet[Work]:
    """Return the works matching every token of `query` (none for an empty query);
    with `first`, only the first that many in catalogue order may be returned."""
    works = Work.objects.all()
    compact = query.replace("-", "").replace(" ", "")
    if compact[:-1].isdigit() and len(compact) in (10, 13):
        isbn = normalize_isbn(compact)
        if isbn:
            return works.filter(isbn=isbn)
    found = query_tokens(query)
    if not found:
        return works.none()
    if connection.vendor == "postgresql":
        return works.extra(
            where=["library_work.search_vector @@ to_tsquery('simple'::regconfig, %s)"],
            params=[" & ".join(found)],
        )
    if connection.vendor == "sqlite":
        match = " AND ".join(f'"{token}"' for token in found)
        sql = "SELECT rowid FROM library_work_fts WHERE library_work_fts MATCH %s"
        params: list = [match]
        if first is not None:
            # FTS5 keeps matches in rowid order and stops at the limit; without
            # it a common character gathered 100,000 rowids to keep 20.
            sql += " ORDER BY rowid LIMIT %s"
            params.append(first)
        return works.filter(id__in=RawSQL(sql, params))
    for token in found:  # other databases: no index, still correct
        works = works.filter(search_tokens__contains=token)
    return works
