"""What every case service shares: the optimistic lock, checks, the audit entry."""

from decimal import Decimal, InvalidOperation

from django.db.models import Sum
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from equiserve.audit.services import audit_record
from equiserve.cases.facts import parse_fact
from equiserve.cases.models import PAYMENT, Case, Delivery
from equiserve.cases.permissions import is_health_programme, may_act
from equiserve.cases.programmes import Programme
from equiserve.cases.workflow import (
    OPEN,
    Action,
    CaseConflict,
    InvalidInput,
    NotAllowed,
    Status,
    next_status,
)
from equiserve.formatting import ungrouped
from equiserve.registry.models import Person

CASE = "cases.case"
CENT = Decimal("0.01")


# What the audit log says instead of a health programme's code (issue 10, finding 7).
RESTRICTED = "health_restricted"


def logged_programme(code: str) -> str:
    """Return the programme as the audit log names it: health ones neutrally.

    Auditors are not health officers: the log never ties a person to a health
    programme, its items or the reasons given on it.
    """
    return RESTRICTED if is_health_programme(code) else code


def audit_case(case: Case, *, actor, action: str, summary: str, changes: dict, request):
    """Append the audit entry of a change to `case` (in the change's transaction)."""
    audit_record(
        actor=actor,
        action=action,
        object_type=CASE,
        object_id=case.pk,
        town_code=case.town_id,
        summary=f"{case.reference} {logged_programme(case.programme)}: {summary}",
        changes=changes,
        request=request,
    )


def conflict_error(case_id: int, version: int) -> CaseConflict:
    """Return the conflict: who changed the case, when, and what it is now."""
    current = Case.objects.select_related("updated_by").get(pk=case_id)
    return CaseConflict(
        _(
            "This case was changed by %(user)s at %(time)s while you were working "
            "on it (you had version %(yours)d; it is now version %(version)d, "
            "“%(status)s”). Nothing you sent was saved: reload the case and try "
            "again."
        )
        % {
            "user": current.updated_by.get_username(),
            "time": formats.date_format(
                timezone.localtime(current.updated_at), "Y-m-d H:i:s"
            ),
            "yours": version,
            "version": current.version,
            "status": Status(current.status).label,
        },
        version=current.version,
        case_status=current.status,
    )


def check_action(case: Case, version: int, action: str, actor) -> str:
    """Refuse the action unless allowed, on the current version; return the next status."""
    if not may_act(actor, case, action):
        raise NotAllowed(
            _("Your role may not “%(action)s” on this case.")
            % {"action": Action(action).label}
        )
    if case.version != version:
        raise conflict_error(case.pk, version)
    return next_status(action, case.status)


def move_case(case: Case, version: int, status: str, actor, **fields) -> None:
    """Move the case to `status` if it is still at `version`; else CaseConflict."""
    now = timezone.now()
    moved = Case.objects.filter(pk=case.pk, version=version).update(
        status=status, version=version + 1, updated_by=actor, updated_at=now, **fields
    )
    if moved != 1:
        raise conflict_error(case.pk, version)
    case.status, case.version, case.updated_by, case.updated_at = (
        status,
        version + 1,
        actor,
        now,
    )
    for name, value in fields.items():
        setattr(case, name, value)


def clean_facts(programme: Programme, facts: dict | None) -> dict:
    """Return the facts in stored form; InvalidInput names every bad one."""
    cleaned, errors = {}, {}
    for name, raw in (facts or {}).items():
        if name not in programme.facts:
            errors[name] = _("this programme does not use the fact “%(name)s”") % {
                "name": name
            }
            continue
        try:
            value = parse_fact(name, raw)
        except Exception as error:  # ValidationError: keep its message
            errors[name] = " ".join(getattr(error, "messages", [str(error)]))
            continue
        if value is not None:
            cleaned[name] = value
    if errors:
        raise InvalidInput(_("Some facts are not valid."), errors=errors)
    return cleaned


def clean_documents(programme: Programme, documents) -> list[str]:
    """Return the documents received, known to the programme, in its order."""
    known = [document.code for document in programme.documents]
    given = [code for code in (documents or []) if code]
    unknown = [code for code in given if code not in known]
    if unknown:
        raise InvalidInput(
            _("Unknown documents for this programme: %(codes)s (known: %(known)s).")
            % {"codes": ", ".join(unknown), "known": ", ".join(known)},
            errors={"documents": ", ".join(unknown)},
        )
    return [code for code in known if code in given]


def fact_changes(programme: Programme, before: dict, after: dict) -> dict:
    """Return {fact: [old, new]}; health facts by name only (auditors read the log)."""
    changed = {}
    for name in sorted(set(before) | set(after)):
        if before.get(name) != after.get(name):
            changed[name] = (
                "changed"
                if is_health_programme(programme.code)
                else [before.get(name), after.get(name)]
            )
    return changed


def parse_money(value) -> Decimal | None:
    """Return an amount in CNY to the fen, None for none; InvalidInput otherwise.

    Thousands separators are read: "12,000" is 12000 (issue 14, deliverable 3).
    """
    if value is None or str(value).strip() == "":
        return None
    try:
        amount = Decimal(ungrouped(value))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite():
        raise InvalidInput(
            _("“%(value)s” is not an amount in CNY") % {"value": value},
            errors={"amount": str(value)},
        )
    return amount.quantize(CENT)


def paid_total(case: Case) -> Decimal:
    """Return what has been paid on the case, under every entitlement it had."""
    total = Delivery.objects.filter(case=case, item=PAYMENT).aggregate(s=Sum("amount"))
    return (total["s"] or Decimal("0")).quantize(CENT)


def delivered_total(case: Case, item: str) -> int:
    """Return the units of a service item delivered on the case so far."""
    total = Delivery.objects.filter(case=case, item=item).aggregate(s=Sum("quantity"))
    return total["s"] or 0


def open_case_of(applicant: Person, programme: str) -> Case | None:
    """Return the applicant's open case under the programme, if any."""
    return Case.objects.filter(
        applicant=applicant, programme=programme, status__in=OPEN
    ).first()


def duplicate_error(applicant: Person, existing: Case) -> InvalidInput:
    """Return the refusal of a second open case for the same person and programme."""
    return InvalidInput(
        _("%(person)s already has an open case under this programme: %(reference)s.")
        % {"person": applicant.key, "reference": existing.reference},
        errors={"applicant": existing.reference},
    )
