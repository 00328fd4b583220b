"""Record payments and services within the entitlement."""

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from stdnum.cn import uscc
from stdnum.exceptions import ValidationError

from equiserve.audit.models import AuditEntry
from equiserve.cases.models import PAYMENT, Case, Delivery, Entitlement, PayeeKind
from equiserve.cases.permissions import is_health_programme
from equiserve.cases.programmes import PROGRAMMES
from equiserve.cases.services.common import (
    RESTRICTED,
    audit_case,
    check_action,
    delivered_total,
    move_case,
    paid_total,
    parse_money,
)
from equiserve.cases.workflow import Action, InvalidInput, Status
from equiserve.formatting import money


def _fulfilled_after(
    entitlement: Entitlement, case: Case, item: str, quantity: int, amount
) -> bool:
    """Return whether the entitlement is wholly delivered once this delivery counts."""
    if entitlement.amount is not None:
        paid = paid_total(case) + (amount if item == PAYMENT else 0)
        if paid < entitlement.amount:
            return False
    for code, limit in entitlement.items.items():
        done = delivered_total(case, code) + (quantity if code == item else 0)
        if limit is None or done < limit:
            return False
    return True


def _payee(programme, item: str, kind: str, name: str, code: str) -> dict[str, str]:
    """Return the payment's payee fields, checked; refuse a payee where none is paid.

    A programme that pays others than the applicant lists its payees (issue 15:
    the community employment subsidy goes to the employer, named with its unified
    social credit code, or to the person); each of its payments names one.
    """
    kind, name, code = (kind or "").strip(), (name or "").strip(), (code or "")
    if item != PAYMENT or not programme.payees:
        if kind or name or code.strip():
            raise InvalidInput(
                _("Only a payment of this programme names a payee."),
                errors={"payee_kind": kind},
            )
        return {}
    if kind not in programme.payees:
        labels = [str(dict(PayeeKind.choices)[p]) for p in programme.payees]
        payees = labels[0]
        for label in labels[1:]:
            payees = _("%(first)s or %(second)s") % {"first": payees, "second": label}
        raise InvalidInput(
            _("Say whom the payment goes to: %(payees)s.") % {"payees": payees},
            errors={"payee_kind": _("required")},
        )
    if kind == PayeeKind.PERSON:
        if name or code.strip():
            raise InvalidInput(
                _("A payment to the person names no employer."),
                errors={"payee_name": name},
            )
        return {"payee_kind": kind}
    if not name:
        raise InvalidInput(
            _("Give the employer's name."), errors={"payee_name": _("required")}
        )
    try:
        code = uscc.validate(code)
    except ValidationError:
        raise InvalidInput(
            _(
                "“%(value)s” is not a unified social credit code: 18 digits and "
                "capital letters, the last a check character."
            )
            % {"value": code.strip()},
            errors={"payee_uscc": code.strip()},
        ) from None
    return {"payee_kind": kind, "payee_name": name[:100], "payee_uscc": code}


@transaction.atomic
def case_deliver(
    *,
    case: Case,
    version: int,
    item: str,
    delivered_on: dt.date,
    quantity: int = 1,
    amount=None,
    note: str = "",
    payee_kind: str = "",
    payee_name: str = "",
    payee_uscc: str = "",
    actor,
    request=None,
) -> Delivery:
    """Record a payment, or a service item within the entitlement's free limit."""
    target = check_action(case, version, Action.DELIVER, actor)
    entitlement = case.entitlements.get(active=True)
    programme = PROGRAMMES[case.programme]
    payee = _payee(programme, item, payee_kind, payee_name, payee_uscc)
    if delivered_on > timezone.localdate():
        raise InvalidInput(
            _("The date %(date)s is in the future.") % {"date": delivered_on},
            errors={"delivered_on": delivered_on.isoformat()},
        )
    if item == PAYMENT:
        if entitlement.amount is None:
            raise InvalidInput(
                _("This case grants services, not money."), errors={"item": item}
            )
        paying = parse_money(amount)
        if paying is None or paying <= 0:
            raise InvalidInput(
                _("Give the amount paid, in yuan (more than ¥0)."),
                errors={"amount": _("required")},
            )
        total = paid_total(case) + paying
        if total > entitlement.amount:
            raise InvalidInput(
                _(
                    "Paying %(amount)s would bring the total paid to %(total)s, "
                    "above the %(granted)s granted."
                )
                % {
                    "amount": money(paying),
                    "total": money(total),
                    "granted": money(entitlement.amount),
                },
                errors={"amount": str(paying)},
            )
        quantity, amount_value = 1, paying
    else:
        from django.utils.translation import get_language

        lang = get_language()
        if item not in entitlement.items:
            granted = ", ".join(
                programme.item(code).label_in(lang)
                for code, _limit in programme.in_order(entitlement.items)
            )
            raise InvalidInput(
                _("“%(item)s” is not among the services granted: %(items)s.")
                % {"item": item, "items": granted or "—"},
                errors={"item": item},
            )
        if not isinstance(quantity, int) or quantity < 1:
            raise InvalidInput(
                _("The quantity is a whole number of 1 or more."),
                errors={"quantity": str(quantity)},
            )
        limit = entitlement.items[item]
        done = delivered_total(case, item)
        if limit is not None and done + quantity > limit:
            definition = programme.item(item)
            raise InvalidInput(
                _(
                    "%(item)s: %(quantity)d %(unit)s more would pass the free limit "
                    "of %(limit)d %(unit)s (%(done)d already delivered)."
                )
                % {
                    "item": definition.label_in(lang),
                    "quantity": quantity,
                    "unit": definition.unit_in(lang),
                    "limit": limit,
                    "done": done,
                },
                errors={"quantity": str(quantity)},
            )
        amount_value = None
    delivery = Delivery(
        case=case,
        entitlement=entitlement,
        item=item,
        quantity=quantity,
        amount=amount_value,
        delivered_on=delivered_on,
        note=(note or "").strip()[:200],
        recorded_by=actor,
        **payee,
    )
    delivery.full_clean(exclude=["case", "entitlement"])
    if _fulfilled_after(entitlement, case, item, quantity, amount_value):
        target = Status.FULFILLED
    move_case(case, version, target, actor)
    delivery.save()
    # A health programme's items name the condition (issue 10, finding 7).
    logged_item = (
        RESTRICTED if item != PAYMENT and is_health_programme(case.programme) else item
    )
    audit_case(
        case,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        summary=(
            f"paid {money(amount_value)}"
            if item == PAYMENT
            else f"delivered {logged_item} × {quantity}"
        ),
        changes={
            "status": [Status.APPROVED, target],
            "version": case.version,
            "delivery": delivery.pk,
            "item": logged_item,
            "quantity": quantity,
            "amount": None if amount_value is None else str(amount_value),
            "delivered_on": delivered_on.isoformat(),
            **{key: value for key, value in payee.items() if value},
        },
        request=request,
    )
    return delivery
