"""Assess a case with the plan's rules and freeze the assessment."""

from django.db import transaction

from equiserve.audit.models import AuditEntry
from equiserve.cases import engine
from equiserve.cases.models import Assessment, Case
from equiserve.cases.programmes import PROGRAMMES
from equiserve.cases.services.common import audit_case, check_action, move_case
from equiserve.cases.workflow import Action


def _summary(result, programme) -> str:
    if result.eligible:
        return "assessed: eligible"
    if result.answer.get("undetermined", {}).get(programme.eligibility):
        # Facts still needed: it cannot be approved as it stands (issue 12).
        return "assessed: undetermined"
    return "assessed: not eligible"


def case_assess(*, case: Case, version: int, actor, request=None) -> Assessment:
    """Run the engine on the case as applied for, and freeze the assessment."""
    target = check_action(case, version, Action.ASSESS, actor)
    programme = PROGRAMMES[case.programme]
    # The engine runs before the transaction: it reads, and takes milliseconds.
    result = engine.assess(programme, case.applicant, case.facts, case.applied_on)
    with transaction.atomic():
        before = case.status
        move_case(case, version, target, actor)
        assessment = Assessment(
            case=case,
            evaluated_on=result.evaluated_on,
            assessed_by=actor,
            plan=result.plan,
            eligible=result.eligible,
            inputs=result.inputs,
            answer=result.answer,
            explanations=result.explanations,
            parameters=result.parameters,
            proposal=result.proposal,
        )
        assessment.full_clean()
        assessment.save()
        audit_case(
            case,
            actor=actor,
            action=AuditEntry.Action.UPDATE,
            summary=_summary(result, programme),
            changes={
                "status": [before, target],
                "version": case.version,
                "assessment": assessment.pk,
                "eligible": result.eligible,
                "evaluated_on": result.evaluated_on.isoformat(),
            },
            request=request,
        )
    return assessment
