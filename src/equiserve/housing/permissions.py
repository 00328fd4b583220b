"""Who may see and decide public rental housing: the one place the rules live.

- the housing department (and a superuser): every town, and decides:
  applications, stock, rounds, offers;
- office and auditor: every town, read-only;
- town officer: the applications and offers of households in their town,
  read-only;
- every other role, and anonymous users: nothing (404, like a missing record).

Rounds are public: their pages and round.json need no login, and show masked
names only. Pages, the API and the admin all call these functions.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from equiserve.accounts.models import Department, Role
from equiserve.accounts.scope import scope_of
from equiserve.housing.models import Application, Offer

NOT_FOUND = "no such housing record"


def decides(user) -> bool:
    """Return whether `user` decides public rental housing (the housing department)."""
    if getattr(user, "is_superuser", False) and getattr(user, "is_active", False):
        return True
    scope = scope_of(user)
    return (
        scope is not None
        and scope.role == Role.DEPARTMENT
        and scope.department == Department.HOUSING
    )


def visible_town(user) -> str | None:
    """Return the one town `user` sees, "" for every town, or None for nothing."""
    if decides(user):
        return ""
    scope = scope_of(user)
    if scope is None:
        return None
    if scope.role == Role.TOWN:
        return scope.town_code
    if scope.role in (Role.OFFICE, Role.AUDITOR):
        return ""
    return None


def reads_housing(user) -> bool:
    """Return whether `user` may read the housing records at all."""
    return visible_town(user) is not None


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
    town = visible_town(user)
    applications = Application.objects.all()
    if town is None:
        return applications.none()
    if town:
        return applications.filter(household__town_id=town)
    return applications


def offer_list_for(user) -> QuerySet[Offer]:
    """Return the offers `user` may see: those of applications they may see."""
    town = visible_town(user)
    offers = Offer.objects.all()
    if town is None:
        return offers.none()
    if town:
        return offers.filter(application__household__town_id=town)
    return offers


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
