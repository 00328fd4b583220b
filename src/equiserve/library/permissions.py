"""Who may see and work the library network: the one place the rules live.

- everyone, signed in or not: the public catalogue (works, copies, libraries);
- the Culture Bureau (and an administrator): every library, circulation and
  digital-resource usage city-wide, and lends and takes back through the API;
- town officers: their town's libraries, read-only;
- office and auditor: every library, read-only;
- every other role and anonymous users: no staff page (404, like a missing one).
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from equiserve.accounts.models import Department, Role
from equiserve.accounts.scope import acts_for, scope_of, visible_towns
from equiserve.library.models import Library

NOT_FOUND = "no such library record"


def works_libraries(user) -> bool:
    """Return whether `user` lends and takes back (the Culture Bureau, an administrator)."""
    scope = scope_of(user)
    return scope is not None and (
        scope.administers or acts_for(user, Department.CULTURE)
    )


def reads_libraries(user) -> bool:
    scope = scope_of(user)
    return scope is not None and (
        works_libraries(user) or scope.role in (Role.OFFICE, Role.AUDITOR, Role.TOWN)
    )


def library_list_for(user) -> QuerySet[Library]:
    """Return the libraries whose circulation `user` sees (404 for no one)."""
    if not reads_libraries(user):
        raise Http404(NOT_FOUND)
    towns = visible_towns(user)
    libraries = Library.objects.select_related("town").order_by("code")
    return libraries if towns is None else libraries.filter(town_id__in=towns)


def access_library(user, code: str) -> Library:
    """Return the library `code` if `user` sees its circulation, else 404."""
    library = library_list_for(user).filter(code=code).first()
    if library is None:
        raise Http404(NOT_FOUND)
    return library


def require_worker(user) -> None:
    """Raise Http404 for users who see nothing, PermissionDenied for readers."""
    if not reads_libraries(user):
        raise Http404(NOT_FOUND)
    if not works_libraries(user):
        raise PermissionDenied
