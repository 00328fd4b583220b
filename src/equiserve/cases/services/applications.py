"""Register applications and update their facts."""

import datetime as dt

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from equiserve.audit.models import AuditEntry
from equiserve.cases.models import Case
from equiserve.cases.permissions import (
    applicant_lookup_for,
    identified_person,
    may_register_for,
    registrable_programmes,
)
from equiserve.cases.programmes import PROGRAMMES
from equiserve.cases.services.common import (
    audit_case,
    check_action,
    clean_documents,
    clean_facts,
    duplicate_error,
    fact_changes,
    move_case,
    open_case_of,
)
from equiserve.cases.workflow import Action, InvalidInput, NotAllowed, PersonNotFound
from equiserve.registry.models import Person
from equiserve.registry.permissions import public_uuid


@transaction.atomic
def case_register(
    *,
    programme: str,
    applicant: Person,
    applied_on: dt.date,
    facts: dict | None = None,
    documents: list[str] | tuple[str, ...] = (),
    claimant: Person | None = None,
    actor,
    request=None,
) -> Case:
    """Register an application: the programme, the applicant, the facts, the documents."""
    if programme not in PROGRAMMES:
        raise InvalidInput(
            _("Unknown programme “%(code)s”.") % {"code": programme},
            errors={"programme": programme},
        )
    if programme not in registrable_programmes(actor):
        raise NotAllowed(_("You may not register applications under this programme."))
    if not may_register_for(actor, applicant):
        raise NotAllowed(_("You may not register applications for this person."))
    if applied_on > timezone.localdate():
        raise InvalidInput(
            _("The application date %(date)s is in the future.")
            % {"date": applied_on.isoformat()},
            errors={"applied_on": applied_on.isoformat()},
        )
    chosen = PROGRAMMES[programme]
    cleaned = clean_facts(chosen, facts)
    docs = clean_documents(chosen, documents)
    existing = open_case_of(applicant, programme)
    if existing is not None:
        raise duplicate_error(applicant, existing)
    case = Case(
        programme=programme,
        applicant=applicant,
        claimant=claimant,
        town_id=applicant.town_id,
        household_id=applicant.household_id,
        applied_on=applied_on,
        facts=cleaned,
        documents=docs,
        created_by=actor,
        updated_by=actor,
    )
    case.full_clean(validate_constraints=False)
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:
        # Another officer registered the same person a moment ago.
        raise duplicate_error(applicant, open_case_of(applicant, programme)) from None
    audit_case(
        case,
        actor=actor,
        action=AuditEntry.Action.CREATE,
        summary="application registered",
        changes={
            "status": [None, case.status],
            "applicant": applicant.pk,
            "applied_on": applied_on.isoformat(),
            "facts": fact_changes(chosen, {}, cleaned),
            "documents": docs,
        },
        request=request,
    )
    return case


def find_person(actor, number, name: str = "") -> Person:
    """Return the person `actor` may register, by public id, person number or ID number.

    A department finds a person it does not see yet only by full ID number and
    name together (issue 10, finding 3); missing and forbidden answer alike.
    """
    lookup = applicant_lookup_for(actor)
    text = str(number or "").strip()
    found = None
    if text:
        condition = Q(key=text) | Q(id_number=text.upper())
        if (public_id := public_uuid(text)) is not None:
            condition |= Q(public_id=public_id)
        found = lookup.filter(condition).first()
    if found is None:
        found = identified_person(actor, text, name)
    if found is None:
        raise PersonNotFound(
            _(
                "No person with the number “%(number)s” in your area. A department "
                "names a new applicant by full ID number and name together."
            )
            % {"number": text}
        )
    return found


def register_from_numbers(
    *,
    programme: str,
    applicant,
    applied_on: dt.date,
    facts: dict | None = None,
    documents=(),
    claimant=None,
    applicant_name: str = "",
    claimant_name: str = "",
    actor,
    request=None,
) -> Case:
    """Register an application for persons given by number (forms, API).

    A name goes with a number when a department names a person it does not
    see yet (`find_person`).
    """
    if programme in PROGRAMMES and programme not in registrable_programmes(actor):
        raise NotAllowed(_("You may not register applications under this programme."))
    return case_register(
        programme=programme,
        applicant=find_person(actor, applicant, applicant_name),
        claimant=find_person(actor, claimant, claimant_name)
        if claimant not in (None, "")
        else None,
        applied_on=applied_on,
        facts=facts,
        documents=list(documents or []),
        actor=actor,
        request=request,
    )


@transaction.atomic
def case_update_facts(
    *,
    case: Case,
    version: int,
    facts: dict,
    documents: list[str] | tuple[str, ...],
    actor,
    request=None,
) -> Case:
    """Replace the stated facts and documents; a returned case is submitted again."""
    target = check_action(case, version, Action.UPDATE_FACTS, actor)
    programme = PROGRAMMES[case.programme]
    cleaned = clean_facts(programme, facts)
    docs = clean_documents(programme, documents)
    before_facts, before_docs, before_status = case.facts, case.documents, case.status
    move_case(case, version, target, actor, facts=cleaned, documents=docs)
    audit_case(
        case,
        actor=actor,
        action=AuditEntry.Action.UPDATE,
        summary="facts updated",
        changes={
            "status": [before_status, target],
            "version": case.version,
            "facts": fact_changes(programme, before_facts, cleaned),
            "documents": [before_docs, docs],
        },
        request=request,
    )
    return case
