"""Links from audit entries to the records they are about (issue 14, deliverable 9).

The audit app knows no other app: each app registers, in `AppConfig.ready()`,
how to link its record type for a user — returning None for a record the user
may not open, so the audit page links only what its reader may see.
"""

from collections.abc import Callable

# object_type → (user, object_id) → url or None
_LINKERS: dict[str, Callable[[object, str], str | None]] = {}


def register_record_link(object_type: str, linker: Callable) -> None:
    """Register how to link records of `object_type` ("cases.case")."""
    _LINKERS[object_type] = linker


def record_url(user, object_type: str, object_id) -> str | None:
    """Return the URL of the record for `user`, or None (unknown type, no access)."""
    linker = _LINKERS.get(object_type)
    if linker is None or object_id in (None, ""):
        return None
    try:
        return linker(user, str(object_id))
    except Exception:  # Http404 / PermissionDenied / a malformed id: no link
        return None
