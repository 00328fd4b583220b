"""The persons other apps bring before a department (issue 11, deliverable 5).

The registry knows no case and no housing application: the apps that do
register, once, in their `AppConfig.ready()`, what they show a department:

    register_person_reach("cases", case_persons)

A provider takes the user's `Scope` and returns a `PersonReach` (or None for
nothing). `registry.permissions` joins every provider's persons with OR; a
department sees the households of those whose reach says `with_households`.
An app that is not installed registers nothing, and its reach is simply absent.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.db.models import Q

from equiserve.accounts.scope import Scope


@dataclass(frozen=True)
class PersonReach:
    """A condition on persons, and whether their households come with them."""

    persons: Q
    with_households: bool = False


PersonReachProvider = Callable[[Scope], PersonReach | None]

_PROVIDERS: dict[str, PersonReachProvider] = {}


def register_person_reach(name: str, provider: PersonReachProvider) -> None:
    """Add (or replace) the reach an app gives, keyed by the app's name."""
    _PROVIDERS[name] = provider


def person_reach(scope: Scope) -> list[PersonReach]:
    """Return the reaches the registered apps give `scope`, in name order."""
    reaches = (_PROVIDERS[name](scope) for name in sorted(_PROVIDERS))
    return [reach for reach in reaches if reach is not None]


def persons_condition(scope: Scope, *, households: bool = False) -> Q | None:
    """Return the persons every provider brings before `scope` (OR), or None.

    With `households`, only the reaches that bring the households too.
    """
    conditions = [
        reach.persons
        for reach in person_reach(scope)
        if reach.with_households or not households
    ]
    if not conditions:
        return None
    combined = Q()
    for condition in conditions:
        combined |= condition
    return combined
