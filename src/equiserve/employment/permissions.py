"""Who may see and change the labour register (3.7): the one place the rules live.

- the human resources and social security bureau (department officers of
  hr-social-security) and an administrator: every town, and write;
- a town officer (the town's labour station): job seekers, registrations,
  referrals and vacancies of their own town only, and write there;
- office and auditor: every town, read-only;
- every other role, and anonymous users: nothing (404, like a missing record).

Training and start-ups (issue 15, deliverables 3–4): readers see every designated
provider, course and incubation base; enrolments, payments, subsidies and loans
follow the person's town like job seekers. A town officer enrols, certifies and
records subsidies, loans and incubation bases in their own town; only the bureau
designates providers, adds courses and pays providers.

Pages, the API and the exports all call these functions.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from equiserve.accounts.models import Department, Role
from equiserve.accounts.scope import ALL_TOWNS, acts_for, scope_of, visible_towns
from equiserve.cases.models import PAYMENT, Delivery
from equiserve.employment.models import (
    Enrolment,
    GuaranteedLoan,
    IncubationBase,
    Referral,
    Registration,
    StartupSubsidy,
    TrainingCourse,
    TrainingPayment,
    TrainingProvider,
    Vacancy,
)
from equiserve.registry.models import Person

NOT_FOUND = "no such employment record"
SUBSIDY = "community_employment_subsidy"


def reads_employment(user) -> bool:
    """Return whether `user` may read the labour register at all."""
    scope = scope_of(user)
    return scope is not None and (
        scope.administers
        or scope.role in (Role.OFFICE, Role.AUDITOR, Role.TOWN)
        or scope.department == Department.HR_SOCIAL_SECURITY
    )


def writes_employment(user) -> bool:
    """Return whether `user` registers, refers and posts (bureau, labour station)."""
    scope = scope_of(user)
    return scope is not None and (
        scope.administers
        or scope.role == Role.TOWN
        or acts_for(user, Department.HR_SOCIAL_SECURITY)
    )


def exports_named(user) -> bool:
    """Return whether `user` exports named lists: writers only, never the office or
    an auditor (issue 10, finding 1)."""
    return writes_employment(user)


def require_reader(user) -> None:
    if not reads_employment(user):
        raise Http404(NOT_FOUND)


def require_writer(user) -> None:
    """Raise Http404 for users who see nothing, PermissionDenied for mere readers."""
    require_reader(user)
    if not writes_employment(user):
        raise PermissionDenied


def _in_towns(queryset: QuerySet, user, field: str) -> QuerySet:
    if not reads_employment(user):
        return queryset.none()
    towns = visible_towns(user)
    if towns is ALL_TOWNS:
        return queryset
    return queryset.filter(**{f"{field}__in": towns})


def registration_list_for(user) -> QuerySet[Registration]:
    """Return the registrations `user` may see: their town's, or every town's."""
    return _in_towns(
        Registration.objects.select_related("person", "town"), user, "town_id"
    )


def vacancy_list_for(user) -> QuerySet[Vacancy]:
    return _in_towns(Vacancy.objects.select_related("town"), user, "town_id")


def referral_list_for(user) -> QuerySet[Referral]:
    """Return referrals of registrations `user` sees (a town sees its seekers')."""
    return _in_towns(
        Referral.objects.select_related("registration__person", "vacancy"),
        user,
        "registration__town_id",
    )


def person_list_for(user) -> QuerySet[Person]:
    """Return the persons `user` may register as job seekers."""
    return _in_towns(Person.objects.all(), user, "town_id")


def _one(queryset: QuerySet, pk):
    try:
        found = queryset.filter(pk=int(pk)).first()
    except (TypeError, ValueError):
        found = None
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def access_registration(user, pk) -> Registration:
    """Return the registration if `user` may see it; one 404 for missing and forbidden."""
    return _one(registration_list_for(user), pk)


def access_vacancy(user, pk) -> Vacancy:
    """Return the vacancy if `user` may see it; one 404 for missing and forbidden."""
    return _one(vacancy_list_for(user), pk)


def access_referral(user, pk) -> Referral:
    """Return the referral if `user` may see it; one 404 for missing and forbidden."""
    return _one(referral_list_for(user), pk)


def access_person(user, id_number: str) -> Person:
    """Return the living person with this ID number in `user`'s towns; else 404."""
    found = (
        person_list_for(user)
        .filter(id_number=(id_number or "").strip().upper(), death_date__isnull=True)
        .first()
    )
    if found is None:
        raise Http404(NOT_FOUND)
    return found


def buys_training(user) -> bool:
    """Return whether `user` designates providers, adds courses and pays (the bureau)."""
    scope = scope_of(user)
    return scope is not None and (
        scope.administers or acts_for(user, Department.HR_SOCIAL_SECURITY)
    )


def require_bureau(user) -> None:
    """Raise Http404 for users who see nothing, PermissionDenied for other readers."""
    require_reader(user)
    if not buys_training(user):
        raise PermissionDenied


def provider_list_for(user) -> QuerySet[TrainingProvider]:
    found = TrainingProvider.objects.select_related("town")
    return found if reads_employment(user) else found.none()


def course_list_for(user) -> QuerySet[TrainingCourse]:
    found = TrainingCourse.objects.select_related("provider")
    return found if reads_employment(user) else found.none()


def enrolment_list_for(user) -> QuerySet[Enrolment]:
    """Return the enrolments of residents of `user`'s towns (their town's, or all)."""
    return _in_towns(
        Enrolment.objects.select_related("person", "course__provider", "payment"),
        user,
        "town_id",
    )


def payment_list_for(user) -> QuerySet[TrainingPayment]:
    """Return the training ledger's payments for completers of `user`'s towns."""
    return _in_towns(
        TrainingPayment.objects.select_related(
            "provider", "enrolment__person", "enrolment__course"
        ),
        user,
        "town_id",
    )


def subsidy_payment_list_for(user) -> QuerySet[Delivery]:
    """Return the community employment subsidy's payments of cases in `user`'s towns.

    The subsidy is a case (3.7, issue 15); its ledger lists each payment with its
    payee, in the employment pages' scope.
    """
    return _in_towns(
        Delivery.objects.filter(case__programme=SUBSIDY, item=PAYMENT).select_related(
            "case__applicant"
        ),
        user,
        "case__town_id",
    )


def base_list_for(user) -> QuerySet[IncubationBase]:
    found = IncubationBase.objects.select_related("town")
    return found if reads_employment(user) else found.none()


def subsidy_list_for(user) -> QuerySet[StartupSubsidy]:
    return _in_towns(
        StartupSubsidy.objects.select_related("person", "base"), user, "town_id"
    )


def loan_list_for(user) -> QuerySet[GuaranteedLoan]:
    return _in_towns(
        GuaranteedLoan.objects.select_related("person", "base"), user, "town_id"
    )


def access_provider(user, pk) -> TrainingProvider:
    return _one(provider_list_for(user), pk)


def access_course(user, pk) -> TrainingCourse:
    return _one(course_list_for(user), pk)


def access_enrolment(user, pk) -> Enrolment:
    """Return the enrolment if `user` may see it; one 404 for missing and forbidden."""
    return _one(enrolment_list_for(user), pk)


def access_base(user, pk) -> IncubationBase:
    return _one(base_list_for(user), pk)


def access_base_to_change(user, pk) -> IncubationBase:
    """Return the base if `user` may change it: the bureau any, a town its own.

    Every reader sees every base; one 404 for a base out of the writer's towns.
    """
    require_writer(user)
    return _one(_in_towns(base_list_for(user), user, "town_id"), pk)


def base_choices_for(user) -> QuerySet[IncubationBase]:
    """Return the bases `user` may name on a subsidy: those of their towns."""
    return _in_towns(base_list_for(user), user, "town_id")


def access_subsidy(user, pk) -> StartupSubsidy:
    """Return the start-up subsidy if `user` may see it; one 404 otherwise."""
    return _one(subsidy_list_for(user), pk)


def access_loan(user, pk) -> GuaranteedLoan:
    """Return the loan if `user` may see it; one 404 for missing and forbidden."""
    return _one(loan_list_for(user), pk)
