"""Who may see and decide public rental housing: the one place the rules live.

- the housing department (and an administrator, see `accounts.scope`):
  every town, and decides: applications, stock, rounds, offers;
- office and auditor: every town, read-only;
- town officer: the applications and offers of households in their town,
  read-only;
- every other role, and anonymous users: nothing (404, like a missing record).

Rounds are public: their pages and round.json need no login, and show masked
names only. Pages, the API and the admin all call these functions.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from equiserve.accounts.models import Department, Role
from equiserve.accounts.scope import ALL_TOWNS, Scope, acts_for, scope_of, visible_towns
from equiserve.housing.models import Application, Offer
from equiserve.registry.reach import PersonReach

NOT_FOUND = "no such housing record"


def decides(user) -> bool:
    """Return whether `user` decides public rental housing (the housing department).

    An administrator (`accounts.scope`) keeps the stock and rounds too.
    """
    scope = scope_of(user)
    return scope is not None and (
        scope.administers or acts_for(user, Department.HOUSING)
    )


def reads_housing(user) -> bool:
    """Return whether `user` may read the housing records at all."""
    scope = scope_of(user)
    return scope is not None and (
        decides(user) or scope.role in (Role.OFFICE, Role.AUDITOR, Role.TOWN)
    )


def require_reader(user) -> None:
    """Raise Http404 unless `user` reads housing records."""
    if not reads_housing(user):
        raise Http404(NOT_FOUND)


def require_decider(user) -> None:
    """Raise Http404 for users who see nothing, PermissionDenied for readers."""
    require_reader(user)
    if not decides(user):
        raise PermissionDenied


def application_list_for(user) -> QuerySet[Application]:
    """Return the applications `user` may see (none for most roles)."""
    applications = Application.objects.all()
    if not reads_housing(user):
        return applications.none()
    towns = visible_towns(user)
    if towns is ALL_TOWNS:
        return applications
    return applications.filter(household__town_id__in=towns)


def offer_list_for(user) -> QuerySet[Offer]:
    """Return the offers `user` may see: those of applications they may see."""
    return Offer.objects.filter(application__in=application_list_for(user))


def housing_persons(scope: Scope) -> PersonReach | None:
    """Return the waiting-list households and their members, for housing only.

    The housing department decides their applications (issue 7), so it sees
    them. Registered with the registry (`registry.reach`) in
    `HousingConfig.ready()`.
    """
    if scope.acting_department != Department.HOUSING:
        return None
    return PersonReach(
        persons=Q(household_id__in=Application.objects.values("household_id")),
        with_households=True,
    )


def _pk(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404(NOT_FOUND) from None


def access_application(user, application_id) -> Application:
    """Return the application if `user` may see it; raise Http404 otherwise."""
    application = (
        application_list_for(user)
        .select_related("household", "household__town", "applicant")
        .filter(pk=_pk(application_id))
        .first()
    )
    if application is None:
        raise Http404(NOT_FOUND)
    return application


def access_offer(user, offer_id) -> Offer:
    """Return the offer if `user` may see it; raise Http404 otherwise."""
    offer = (
        offer_list_for(user)
        .select_related("unit", "unit__estate", "application", "round")
        .filter(pk=_pk(offer_id))
        .first()
    )
    if offer is None:
        raise Http404(NOT_FOUND)
    return offer


def application_link(user, application_id: str) -> str:
    """Return an application page's URL if `user` may open it (audit entries link it)."""
    from django.urls import reverse

    return reverse(
        "housing:application", args=[access_application(user, application_id).pk]
    )
