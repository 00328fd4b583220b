"""Record an appeal, which reopens the case."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.cases.models import Appeal, Case
from equiserve.cases.permissions import is_health_programme
from equiserve.cases.services.common import (
    audit_case,
    check_action,
    duplicate_error,
    move_case,
    open_case_of,
)
from equiserve.cases.workflow import OPEN, Action, InvalidInput


@transaction.atomic
def case_appeal(
    *,
    case: Case,
    version: int,
    reason: str,
    lodged_on: dt.date,
    actor,
    request=None,
) -> Appeal:
    """Record the applicant's appeal; it reopens the case for a new assessment."""
    target = check_action(case, version, Action.APPEAL, actor)
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(
            _("Give the grounds of the appeal."), errors={"reason": _("required")}
        )
    if lodged_on > timezone.localdate():
        raise InvalidInput(
            _("The date %(date)s is in the future.") % {"date": lodged_on},
            errors={"lodged_on": lodged_on.isoformat()},
        )
    before = case.status
    if before not in OPEN:
        existing = open_case_of(case.applicant, case.programme)
        if existing is not None:
            raise duplicate_error(case.applicant, existing)
    try:
        with transaction.atomic():
            move_case(case, version, target, actor)
    except IntegrityError:
        raise duplicate_error(
            case.applicant, open_case_of(case.applicant, case.programme)
        ) from None
    appeal = Appeal(
        case=case,
        reason=reason,
        lodged_on=lodged_on,
        previous_status=before,
        recorded_by=actor,
    )
    appeal.full_clean()
    appeal.save()
    audit_case(
        case,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        # A health case's grounds may hold health details: they stay on the case.
        summary="appeal recorded"
        if is_health_programme(case.programme)
        else f"appeal recorded: {reason[:300]}",
        changes={
            "status": [before, target],
            "version": case.version,
            "appeal": appeal.pk,
            "lodged_on": lodged_on.isoformat(),
        },
        request=request,
    )
    return appeal


@transaction.atomic
def case_decide_appeal(
    *,
    case: Case,
    version: int,
    decision: str,
    reason: str,
    amount=None,
    above_request_acknowledged: bool = False,
    actor,
    request=None,
):
    """Decide an appeal in one step: assess the case again, then decide it.

    Both or neither are saved: a decision the new assessment refuses (an
    approval of a case it finds not eligible) leaves the case under appeal
    (issue 14, deliverable 3: appeal decisions reachable).
    """
    from equiserve.cases.services.assessment import case_assess
    from equiserve.cases.services.decisions import case_decide
    from equiserve.cases.workflow import Status, TransitionRefused

    if case.status != Status.APPEALED:
        raise TransitionRefused(_("This case is not under appeal."))
    case_assess(case=case, version=version, actor=actor, request=request)
    return case_decide(
        case=case,
        version=case.version,
        decision=decision,
        reason=reason,
        amount=amount,
        above_request_acknowledged=above_request_acknowledged,
        actor=actor,
        request=request,
    )
