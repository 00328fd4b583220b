"""Log views and exports of cases."""

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.cases.models import Case
from equiserve.cases.services.common import CASE, logged_programme


def case_view_record(*, actor, case: Case, channel: str, request=None) -> None:
    """Log that `actor` opened a case (page, API, admin)."""
    audit_record(
        actor=actor,
        action=AuditEntry.Action.VIEW,
        object_type=CASE,
        object_id=case.pk,
        town_code=case.town_id,
        summary=f"{case.reference} {logged_programme(case.programme)} viewed ({channel})",
        changes={"channel": channel, "applicant": case.applicant_id},
        request=request,
    )


def cases_export_record(*, actor, case_ids: list[int], filters: dict, request=None):
    """Log an export of cases: who, which cases, with which filters.

    An ID number typed as the search term is written masked (issue 10, finding 13).
    """
    from equiserve.registry.privacy import id_ranges, masked_search

    audit_record(
        actor=actor,
        action=AuditEntry.Action.EXPORT,
        object_type=CASE,
        summary=f"{len(case_ids)} cases exported",
        changes={
            "case_id_runs": id_ranges(case_ids),
            "filters": masked_search(filters),
        },
        request=request,
    )
