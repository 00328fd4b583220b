"""Who reads and writes budget execution: the one place the rules live (issue 18).

- the Finance Bureau: reads every town and enters budgets;
- the office and auditors: read every town;
- a department officer: reads its own programmes' lines, city-wide;
- a town officer: reads its own town's lines;
- anyone else (and anonymous users): nothing, a 404 like a missing record.

An administrator reads like the office and writes no budget (a finance decision).
"""

from django.http import Http404

from equiserve.accounts.models import Role
from equiserve.accounts.scope import scope_of

NOT_FOUND = "no such budget"


def reads_budget(user) -> bool:
    return scope_of(user) is not None


def writes_budget(user) -> bool:
    scope = scope_of(user)
    return scope is not None and not scope.administers and scope.role == Role.FINANCE


def require_budget_reader(user) -> None:
    if not reads_budget(user):
        raise Http404(NOT_FOUND)


def require_budget_writer(user) -> None:
    if not writes_budget(user):
        raise Http404(NOT_FOUND)


def budget_reach(user) -> tuple[list[str] | None, set[str] | None]:
    """Return (towns, programmes) `user` reads: None for all; raise Http404 for none."""
    from equiserve.cases.programmes import programmes_of_department

    require_budget_reader(user)
    scope = scope_of(user)
    if scope.role == Role.TOWN:
        return [scope.town_code], None
    if scope.role in (Role.DEPARTMENT, Role.HEALTH):
        return None, set(programmes_of_department(scope.acting_department))
    return None, None
