"""Who may use an import page: one name per import, one refusal (a 404)."""

from __future__ import annotations

from django.http import Http404


def may_import(user, what: str) -> bool:
    """Return whether `user` may import `what` (registry, cases, facilities)."""
    if what == "registry":
        from equiserve.registry.permissions import import_scope

        return import_scope(user) is not None
    if what == "cases":
        from equiserve.cases.permissions import imports_cases

        return imports_cases(user)
    if what == "facilities":
        from equiserve.facilities.permissions import writes_facilities

        return writes_facilities(user)
    raise ValueError(f"no import named {what!r}")


def access_import(user, what: str) -> None:
    """Raise the uniform 404 unless `user` may import `what`, like `access_*`."""
    if not may_import(user, what):
        raise Http404("no such page")
