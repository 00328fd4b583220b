"""Approve, reject or return a case; maker–checker above the threshold."""

from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.cases import engine
from equiserve.cases.models import Assessment, Case, Decision, Entitlement
from equiserve.cases.permissions import is_health_programme
from equiserve.cases.programmes import PROGRAMMES, Programme
from equiserve.cases.services.common import (
    CENT,
    audit_case,
    check_action,
    move_case,
    paid_total,
    parse_money,
)
from equiserve.cases.workflow import (
    Action,
    InvalidInput,
    NotAllowed,
    Status,
    TransitionRefused,
    second_approval_threshold,
)
from equiserve.formatting import money


def _approval_amount(
    programme: Programme, assessment: Assessment, amount
) -> Decimal | None:
    given = parse_money(amount)
    if programme.amount_output:
        computed = Decimal(assessment.proposal.get("amount", "0"))
        if given is not None and given > computed:
            raise InvalidInput(
                _(
                    "%(given)s is above the plan's amount for this case, "
                    "%(amount)s (its formula's limit): it cannot be approved."
                )
                % {"given": money(given), "amount": money(computed)},
                errors={"amount": str(given)},
            )
        if given is not None and given != computed:
            raise InvalidInput(
                _(
                    "The amount is set by the plan's formula: %(amount)s. "
                    "Approve without an amount, or reject."
                )
                % {"amount": money(computed)},
                errors={"amount": str(given)},
            )
        return computed
    if programme.officer_sets_amount:
        if given is None or given <= 0:
            raise InvalidInput(
                _("Set the amount to grant, in yuan (more than ¥0)."),
                errors={"amount": _("required")},
            )
        return given
    if given is not None:
        raise InvalidInput(
            _("This programme grants services, not money: leave the amount empty."),
            errors={"amount": str(given)},
        )
    return None


def _missing_documents(programme: Programme, case: Case) -> list[str]:
    return [
        document.label_in(get_language())
        for document in programme.documents
        if document.code not in case.documents
    ]


def requested_amount(case: Case) -> Decimal | None:
    """Return the amount the application requested (CNY), None when it states none."""
    value = (case.facts or {}).get("requested_amount")
    return None if value in (None, "") else Decimal(str(value)).quantize(CENT)


class AboveRequest(InvalidInput):
    """An amount above the one requested, not yet acknowledged by the officer."""

    FIELD = "acknowledge_above_request"


@dataclass(frozen=True)
class DecisionPlan:
    """What a decision will do once saved: checked, nothing written yet."""

    decision: str
    kind: str
    target: str
    reason: str
    granted: Decimal | None
    requested: Decimal | None
    assessment: Assessment | None
    maker: object
    checker: object | None


def decision_plan(
    *,
    case: Case,
    version: int,
    decision: str,
    reason: str,
    amount=None,
    above_request_acknowledged: bool = False,
    actor,
) -> DecisionPlan:
    """Check a decision as `case_decide` does and return what it will do; write nothing.

    Guard rails (issue 14, deliverable 3): an amount above the plan's (the
    engine's amount output) is refused; an amount above the one requested is a
    warning the officer must acknowledge (`AboveRequest`).
    """
    if decision not in (Action.APPROVE, Action.REJECT, Action.RETURN):
        raise InvalidInput(
            _("Choose a decision: approve, reject or return.")
            if not decision
            else _("Unknown decision “%(decision)s”.") % {"decision": decision},
            errors={"decision": decision or _("required")},
        )
    target = check_action(case, version, decision, actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Give the reason for the decision."), errors={"reason": _("required")}
        )
    programme = PROGRAMMES[case.programme]
    assessment = case.assessments.order_by("-pk").first()
    kind = {
        Action.APPROVE: Decision.Kind.APPROVE,
        Action.REJECT: Decision.Kind.REJECT,
        Action.RETURN: Decision.Kind.RETURN,
    }[decision]
    granted: Decimal | None = None
    maker = actor
    checker = None
    requested = requested_amount(case)
    if decision == Action.APPROVE and case.status == Status.AWAITING_SECOND:
        first = case.decisions.filter(kind=Decision.Kind.FIRST_APPROVAL).last()
        if first.decided_by_id == actor.pk:
            raise NotAllowed(
                _(
                    "An approval above %(threshold)s needs a second officer: "
                    "you made the first approval, so another officer must confirm it."
                )
                % {"threshold": money(second_approval_threshold())}
            )
        given = parse_money(amount)
        if given is not None and given != first.amount:
            raise InvalidInput(
                _(
                    "The second approval confirms the first: %(amount)s. To "
                    "change the amount, return the case or reject it."
                )
                % {"amount": money(first.amount)},
                errors={"amount": str(given)},
            )
        granted, maker, checker = first.amount, first.decided_by, actor
    elif decision == Action.APPROVE:
        needed = engine.missing_facts(assessment, programme, get_language())
        if needed:
            # An unknown fact never counts in the applicant's favour (issue 12).
            raise TransitionRefused(
                _(
                    "The assessment could not decide eligibility (clause "
                    "%(clause)s): the plan's rules still need %(facts)s. Record "
                    "these facts and assess again, or return the case for more "
                    "information."
                )
                % {"clause": programme.clause, "facts": _("; ").join(needed)}
            )
        if not assessment.eligible:
            raise TransitionRefused(
                _(
                    "The assessment found the applicant not eligible (clause "
                    "%(clause)s): approve only on an assessment that finds them "
                    "eligible. Reject the case or return it for more information."
                )
                % {"clause": programme.clause}
            )
        missing = _missing_documents(programme, case)
        if missing:
            raise InvalidInput(
                _(
                    "Documents missing: %(documents)s. Record them in the facts, "
                    "or return the case for more information."
                )
                % {"documents": ", ".join(missing)},
                errors={"documents": ", ".join(missing)},
            )
        granted = _approval_amount(programme, assessment, amount)
        paid = paid_total(case)
        if granted is not None and granted < paid:
            raise InvalidInput(
                _("%(amount)s is less than the %(paid)s already paid.")
                % {"amount": money(granted), "paid": money(paid)},
                errors={"amount": str(granted)},
            )
        if (
            programme.officer_sets_amount
            and requested is not None
            and granted > requested
            and not above_request_acknowledged
        ):
            raise AboveRequest(
                _(
                    "%(amount)s is more than the %(requested)s requested. "
                    "Tick “I have checked the amount above the request” to "
                    "approve it, or change the amount."
                )
                % {"amount": money(granted), "requested": money(requested)},
                errors={AboveRequest.FIELD: _("required")},
            )
        if granted is not None and granted > second_approval_threshold():
            target, kind = Status.AWAITING_SECOND, Decision.Kind.FIRST_APPROVAL
    return DecisionPlan(
        decision=decision,
        kind=kind,
        target=target,
        reason=reason,
        granted=granted,
        requested=requested,
        assessment=assessment,
        maker=maker,
        checker=checker,
    )


@transaction.atomic
def case_decide(
    *,
    case: Case,
    version: int,
    decision: str,
    reason: str,
    amount=None,
    above_request_acknowledged: bool = False,
    actor,
    request=None,
) -> Decision:
    """Approve, reject or return the case for more information, with a reason.

    An approval of an amount above the threshold waits for a second approval by
    a different officer (maker–checker); the second approval grants it.
    """
    plan = decision_plan(
        case=case,
        version=version,
        decision=decision,
        reason=reason,
        amount=amount,
        above_request_acknowledged=above_request_acknowledged,
        actor=actor,
    )
    programme = PROGRAMMES[case.programme]
    assessment, kind, granted = plan.assessment, plan.kind, plan.granted
    reason, target = plan.reason, plan.target
    before = case.status
    move_case(case, version, target, actor)
    record = Decision(
        case=case,
        assessment=assessment,
        kind=kind,
        reason=reason,
        amount=granted,
        decided_by=actor,
    )
    record.full_clean()
    record.save()
    if kind in (Decision.Kind.APPROVE, Decision.Kind.REJECT):
        case.entitlements.filter(active=True).update(active=False)
    if kind == Decision.Kind.APPROVE:
        entitlement = Entitlement(
            case=case,
            decision=record,
            amount=granted,
            items=assessment.proposal.get("items", {}),
            approved_by=plan.maker,
            second_approved_by=plan.checker,
        )
        entitlement.full_clean()
        entitlement.save()
    audit_case(
        case,
        actor=actor,
        action=AuditEntry.Action.DECIDE,
        # A health case's reasons may hold health details: they stay on the case.
        summary=kind
        if is_health_programme(programme.code)
        else f"{kind}: {reason}"[:400],
        changes={
            "status": [before, target],
            "version": case.version,
            "decision": kind,
            "amount": None if granted is None else str(granted),
            "requested": None if plan.requested is None else str(plan.requested),
            "above_request_acknowledged": bool(
                above_request_acknowledged
                and granted is not None
                and plan.requested is not None
                and granted > plan.requested
            ),
            "assessment": assessment.pk if assessment else None,
        },
        request=request,
    )
    return record
