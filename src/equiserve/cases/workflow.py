"""The case workflow as one state machine: statuses, actions, and who does what.

    register ─▶ submitted ─assess─▶ assessed ─approve─▶ approved ─deliver─▶ fulfilled
                   ▲  │                │  │                  │
      update facts │  └──return──▶ returned ◀─return──┤  approve (amount above the
                   └──────────────────┘                ▼  threshold) ▶ awaiting_second
                                    reject ─▶ rejected      (a different officer approves)
    rejected / approved / fulfilled ─appeal─▶ appealed ─assess─▶ assessed …

Town officers register applications and pre-check them (assess, update facts)
and record appeals lodged at the town's service centre; the programme's lead
department decides (approve, reject, return), records payments and services,
and may do everything a town officer does. The office and auditors read only.
"""

from decimal import Decimal

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

# Approvals of amounts above this need a second, different officer (maker–checker).
# Illustrative: the plan sets no threshold; the finance and civil-affairs bureaus
# would. Override with the setting EQUISERVE_CASES_SECOND_APPROVAL_ABOVE (CNY).
SECOND_APPROVAL_ABOVE = Decimal("10000")


def second_approval_threshold() -> Decimal:
    """Return the amount (CNY) above which an approval needs a second officer."""
    value = getattr(settings, "EQUISERVE_CASES_SECOND_APPROVAL_ABOVE", None)
    return SECOND_APPROVAL_ABOVE if value is None else Decimal(str(value))


class Status(models.TextChoices):
    SUBMITTED = "submitted", _("Submitted")
    RETURNED = "returned", _("Returned for more information")
    ASSESSED = "assessed", _("Assessed")
    AWAITING_SECOND = "awaiting_second", _("Awaiting second approval")
    APPROVED = "approved", _("Approved")
    REJECTED = "rejected", _("Rejected")
    FULFILLED = "fulfilled", _("Fulfilled")
    APPEALED = "appealed", _("Under appeal")


class Action(models.TextChoices):
    UPDATE_FACTS = "update_facts", _("Update the facts")
    ASSESS = "assess", _("Assess")
    APPROVE = "approve", _("Approve")
    REJECT = "reject", _("Reject")
    RETURN = "return", _("Return for more information")
    DELIVER = "deliver", _("Record a payment or service")
    APPEAL = "appeal", _("Record an appeal")


# Which statuses each action may start from, and where it leads. Approve leads to
# awaiting_second instead when the amount needs a second officer (services).
TRANSITIONS: dict[str, dict[str, str]] = {
    Action.UPDATE_FACTS: {
        Status.SUBMITTED: Status.SUBMITTED,
        Status.RETURNED: Status.SUBMITTED,
        Status.APPEALED: Status.APPEALED,
    },
    Action.ASSESS: {
        Status.SUBMITTED: Status.ASSESSED,
        Status.ASSESSED: Status.ASSESSED,
        Status.APPEALED: Status.ASSESSED,
    },
    Action.APPROVE: {
        Status.ASSESSED: Status.APPROVED,
        Status.AWAITING_SECOND: Status.APPROVED,
    },
    Action.REJECT: {
        Status.ASSESSED: Status.REJECTED,
        Status.AWAITING_SECOND: Status.REJECTED,
    },
    Action.RETURN: {
        Status.SUBMITTED: Status.RETURNED,
        Status.ASSESSED: Status.RETURNED,
        Status.AWAITING_SECOND: Status.RETURNED,
    },
    Action.DELIVER: {Status.APPROVED: Status.APPROVED},
    Action.APPEAL: {
        Status.REJECTED: Status.APPEALED,
        Status.APPROVED: Status.APPEALED,
        Status.FULFILLED: Status.APPEALED,
    },
}

# Actions only the lead department takes; the others a town officer may take too.
DEPARTMENT_ONLY = frozenset(
    {Action.APPROVE, Action.REJECT, Action.RETURN, Action.DELIVER}
)

# Statuses in which a case is still being worked on: one such case per applicant
# and programme (a database constraint).
OPEN = (
    Status.SUBMITTED,
    Status.RETURNED,
    Status.ASSESSED,
    Status.AWAITING_SECOND,
    Status.APPROVED,
    Status.APPEALED,
)


class CaseError(Exception):
    """A request about a case that cannot be carried out; the message is translated.

    `status` is the HTTP status pages and the API answer with.
    """

    status = 422

    def __init__(self, message, *, errors: dict | None = None):
        super().__init__(str(message))
        self.message = str(message)
        self.errors = errors or {}


class TransitionRefused(CaseError):
    """An action that the case's status (or its assessment) does not allow."""


class NotAllowed(CaseError):
    """An action the user's role does not allow on a case they can see."""

    status = 403


class CaseConflict(CaseError):
    """Somebody else changed the case since the version the user acted on."""

    status = 409

    def __init__(self, message, *, version: int, case_status: str):
        super().__init__(message)
        self.version = version
        self.case_status = case_status


class PersonNotFound(CaseError):
    """No person with that number in the user's reach (missing and forbidden alike)."""

    status = 404


class InvalidInput(CaseError):
    """Facts, amounts or items that do not hold; `errors` names the fields."""


def next_status(action: str, status: str) -> str:
    """Return the status `action` leads to from `status`, or raise TransitionRefused."""
    target = TRANSITIONS[action].get(status)
    if target is None:
        allowed = ", ".join(str(Status(s).label) for s in TRANSITIONS[action])
        raise TransitionRefused(
            _(
                "“%(action)s” is not possible while the case is “%(status)s”; "
                "it is possible only when the case is: %(allowed)s."
            )
            % {
                "action": Action(action).label,
                "status": Status(status).label,
                "allowed": allowed,
            }
        )
    return target


def allowed_actions(status: str) -> list[str]:
    """Return the actions the status allows, in workflow order."""
    return [action for action, moves in TRANSITIONS.items() if status in moves]
