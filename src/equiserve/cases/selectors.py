"""Reads of cases, always through a user's scope (`permissions`)."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from equiserve.accounts.models import Role
from equiserve.accounts.scope import scope_of
from equiserve.cases.models import (
    PAYMENT,
    Assessment,
    Case,
    Delivery,
    Entitlement,
    PayeeKind,
)
from equiserve.cases.permissions import case_list_for, shows_programme
from equiserve.cases.programmes import PROGRAMMES, lang_key, programmes_of_department
from equiserve.cases.workflow import Status
from equiserve.formatting import money
from equiserve.registry.models import Household, Person


@dataclass(frozen=True)
class CaseFilters:
    """The filters of the queue, page, export and API alike."""

    status: str = ""
    programme: str = ""
    town: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, query) -> "CaseFilters":
        """Read the filters from a GET query; unknown values are dropped."""
        status = query.get("status", "") or ""
        programme = query.get("programme", "") or ""
        return cls(
            status=status if status in Status.values or status == "open" else "",
            programme=programme if programme in PROGRAMMES else "",
            town=(query.get("town", "") or "").strip()[:9],
            q=(query.get("q", "") or "").strip()[:64],
        )

    def as_dict(self) -> dict:
        return {key: value for key, value in vars(self).items() if value}


def case_list(*, user, filters: CaseFilters | None = None) -> QuerySet[Case]:
    """Return the cases `user` may see, filtered, newest first, applicant loaded.

    `status` "open" means every status still being worked on; `q` matches a case
    reference (C000123), a person number or a full ID number.
    """
    from equiserve.cases.workflow import OPEN

    filters = filters or CaseFilters()
    cases = case_list_for(user).select_related("applicant", "town")
    if filters.status == "open":
        cases = cases.filter(status__in=OPEN)
    elif filters.status:
        cases = cases.filter(status=filters.status)
    if filters.programme:
        if not shows_programme(user, filters.programme):
            return cases.none()  # who is under a health programme stays unsaid
        cases = cases.filter(programme=filters.programme)
    if filters.town:
        cases = cases.filter(town_id=filters.town)
    if filters.q:
        q = filters.q.upper()
        condition = Q(applicant__key=filters.q) | Q(applicant__id_number=q)
        if q.startswith("C") and q[1:].isdigit():
            condition |= Q(pk=int(q[1:]))
        cases = cases.filter(condition)
    return cases.order_by("-updated_at", "-pk")


def programme_choices_for(user, lang: str) -> list[tuple[str, str]]:
    """Return the programmes `user` may filter by, "clause label" in `lang`.

    Health programmes are left out for roles that may not see them: a list
    filtered by one would name its persons (issue 10, finding 7).
    """
    from equiserve.cases.programmes import programme_choices

    scope = scope_of(user)
    if scope is None:
        return []
    choices = [
        (code, label)
        for code, label in programme_choices(lang)
        if shows_programme(user, code)
    ]
    if scope.role in (Role.DEPARTMENT, Role.HEALTH):
        mine = set(programmes_of_department(scope.acting_department))
        return [(code, label) for code, label in choices if code in mine]
    return choices


def restricted_label() -> str:
    """Return the neutral label shown instead of a health programme's name."""
    from django.utils.translation import gettext as _

    return _("health service (restricted)")


def programme_labels_for(user, lang: str) -> dict[str, str]:
    """Return {code: label} as `user` may read them: health ones neutral."""
    return {
        code: programme.label_in(lang)
        if shows_programme(user, code)
        else restricted_label()
        for code, programme in PROGRAMMES.items()
    }


def programme_clauses_for(user) -> dict[str, str]:
    """Return {code: clause} as `user` may read them: none for a hidden programme."""
    return {
        code: programme.clause if shows_programme(user, code) else ""
        for code, programme in PROGRAMMES.items()
    }


def latest_assessment(case: Case) -> Assessment | None:
    return case.assessments.select_related("assessed_by").order_by("-pk").first()


def active_entitlement(case: Case) -> Entitlement | None:
    return (
        case.entitlements.select_related("approved_by", "second_approved_by")
        .filter(active=True)
        .first()
    )


@dataclass(frozen=True)
class ItemProgress:
    code: str
    label: str
    unit: str
    limit: int | None
    delivered: int

    @property
    def remaining(self) -> int | None:
        return None if self.limit is None else max(self.limit - self.delivered, 0)


@dataclass(frozen=True)
class Progress:
    """What the active entitlement grants and how much of it is delivered."""

    amount: Decimal | None
    paid: Decimal
    items: list[ItemProgress] = field(default_factory=list)

    @property
    def unpaid(self) -> Decimal | None:
        return None if self.amount is None else self.amount - self.paid


def entitlement_progress(case: Case, entitlement: Entitlement, lang: str) -> Progress:
    """Return the granted amount and items beside what was paid and delivered."""
    programme = PROGRAMMES[case.programme]
    totals = dict(
        Delivery.objects.filter(case=case)
        .exclude(item=PAYMENT)
        .values("item")
        .annotate(total=Sum("quantity"))
        .values_list("item", "total")
    )
    paid = (
        Delivery.objects.filter(case=case, item=PAYMENT).aggregate(s=Sum("amount"))["s"]
        or Decimal("0")
    ).quantize(Decimal("0.01"))
    items = []
    for code, limit in programme.in_order(entitlement.items):
        item = programme.item(code)
        items.append(
            ItemProgress(
                code=code,
                label=item.label_in(lang) if item else code,
                unit=item.unit_in(lang) if item else "",
                limit=limit,
                delivered=totals.get(code, 0),
            )
        )
    return Progress(amount=entitlement.amount, paid=paid, items=items)


@dataclass(frozen=True)
class Event:
    at: object
    kind: str
    who: str
    text: str
    reason: str = ""


def payee_text(delivery: Delivery) -> str:
    """Return whom a payment went to, in words (issue 15: an employer or the person)."""
    from django.utils.translation import gettext as _

    if delivery.payee_kind == PayeeKind.EMPLOYER:
        return _("to the employer %(name)s (unified social credit code %(code)s)") % {
            "name": delivery.payee_name,
            "code": delivery.payee_uscc,
        }
    if delivery.payee_kind == PayeeKind.PERSON:
        return _("to the person")
    return ""


def case_timeline(case: Case, lang: str, *, restricted: bool = False) -> list[Event]:
    """Return the case's history, oldest first: registration, assessments, decisions, …

    `restricted` leaves out what names a health programme: its service items
    and the reasons given (issue 10, finding 7).
    """
    from django.utils.translation import gettext as _
    from django.utils.translation import pgettext

    events = [
        Event(
            case.created_at,
            "register",
            case.created_by.get_username(),
            pgettext("case event", "Registered"),
        )
    ]
    for assessment in case.assessments.select_related("assessed_by"):
        events.append(
            Event(
                assessment.assessed_at,
                "assess",
                assessment.assessed_by.get_username(),
                _("Assessed: eligible")
                if assessment.eligible
                else _("Assessed: not eligible"),
            )
        )
    for decision in case.decisions.select_related("decided_by"):
        text = decision.get_kind_display()
        if decision.amount is not None:
            text = f"{text} · {money(decision.amount)}"
        events.append(
            Event(
                decision.decided_at,
                "decide",
                decision.decided_by.get_username(),
                str(text),
                "" if restricted else decision.reason,
            )
        )
    programme = PROGRAMMES[case.programme]
    for delivery in case.deliveries.select_related("recorded_by"):
        if delivery.item == PAYMENT:
            text = _("Paid %(amount)s") % {"amount": money(delivery.amount)}
            if delivery.payee_kind:
                text = f"{text} {payee_text(delivery)}"
        elif restricted:
            text = f"{restricted_label()} × {delivery.quantity}"
        else:
            item = programme.item(delivery.item)
            text = f"{item.label_in(lang) if item else delivery.item} × {delivery.quantity}"
            if item:
                text = f"{text} {item.unit_in(lang)}"
        events.append(
            Event(
                delivery.recorded_at,
                "deliver",
                delivery.recorded_by.get_username(),
                f"{text} ({delivery.delivered_on:%Y-%m-%d})",
                "" if restricted else delivery.note,
            )
        )
    for appeal in case.appeals.select_related("recorded_by"):
        events.append(
            Event(
                appeal.recorded_at,
                "appeal",
                appeal.recorded_by.get_username(),
                _("Appeal lodged on %(date)s") % {"date": appeal.lodged_on.isoformat()},
                "" if restricted else appeal.reason,
            )
        )
    return sorted(events, key=lambda event: event.at)


def household_cases(user, household: Household) -> QuerySet[Case]:
    """Return the cases of a household `user` may see: filed for it or its members."""
    return (
        case_list_for(user)
        .filter(Q(household=household) | Q(applicant__household=household))
        .select_related("applicant", "town")
        .order_by("-applied_on", "-pk")
    )


def person_cases(user, person: Person) -> QuerySet[Case]:
    """Return the cases about or claimed by `person` that `user` may see."""
    return (
        case_list_for(user)
        .filter(Q(applicant=person) | Q(claimant=person))
        .select_related("applicant", "town")
        .order_by("-applied_on", "-pk")
    )


def explanation_for(assessment: Assessment, lang: str) -> dict:
    """Return the assessment's explanations {output: {clause, text, steps}} in `lang`."""
    return assessment.explanations.get(lang_key(lang), {})
