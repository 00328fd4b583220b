"""Writes for cases: register, update facts, assess, decide, deliver, appeal.

Every change is one transaction that (1) moves the case with
``UPDATE … WHERE id = … AND version = n`` — the optimistic lock: of two officers
acting on version n one updates the row, the other updates nothing and gets
`CaseConflict`, and nothing of theirs is saved — then (2) writes its rows and
(3) one audit entry. Callers pass a case they fetched with `access_case` and
the version the user saw.
"""

from equiserve.cases.services.appeals import case_appeal, case_decide_appeal
from equiserve.cases.services.applications import (
    case_register,
    case_update_facts,
    find_person,
    register_from_numbers,
)
from equiserve.cases.services.assessment import case_assess
from equiserve.cases.services.common import CASE, open_case_of
from equiserve.cases.services.decisions import (
    AboveRequest,
    DecisionPlan,
    case_decide,
    decision_plan,
    requested_amount,
)
from equiserve.cases.services.deliveries import case_deliver
from equiserve.cases.services.records import case_view_record, cases_export_record

__all__ = [
    "AboveRequest",
    "DecisionPlan",
    "decision_plan",
    "requested_amount",
    "CASE",
    "case_appeal",
    "case_assess",
    "case_decide",
    "case_decide_appeal",
    "case_deliver",
    "case_register",
    "case_update_facts",
    "case_view_record",
    "cases_export_record",
    "find_person",
    "open_case_of",
    "register_from_numbers",
]
