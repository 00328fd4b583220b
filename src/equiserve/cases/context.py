"""What the case page shows, in the user's language and within their rights."""

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from equiserve.cases import permissions, selectors
from equiserve.cases.facts import FACTS, display_value
from equiserve.cases.forms import FactsForm
from equiserve.cases.models import PAYMENT, Case, PayeeKind
from equiserve.cases.programmes import PROGRAMMES, lang_key
from equiserve.cases.workflow import (
    Action,
    Status,
    allowed_actions,
    second_approval_threshold,
)
from equiserve.formatting import money, unit_label
from equiserve.registry.permissions import sees_household


def _output_label(name: str, lang: str) -> str:
    from equiserve.cases.engine import output_label

    return output_label(name, lang)


def _output_value(name: str, value, programme, lang: str) -> str:
    from equiserve.cases.engine import output_type

    if output_type(name) == "money" and value is not None:
        return money(value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    if isinstance(value, list):
        labels = []
        for code in value:
            item = programme.item(code)
            labels.append(item.label_in(lang) if item else code)
        return "、".join(labels) if lang == "zh" else ", ".join(labels)
    if value is None:
        return "—"
    return str(value)


def _missing_facts(assessment, programme, lang: str) -> list[str]:
    from equiserve.cases.engine import missing_facts

    return missing_facts(assessment, programme, lang)


def amount_comparison(case: Case, programme, assessment, first_approval) -> list:
    """Return (label, amount) rows a deciding officer and the checker compare.

    The amount requested, the plan's amount (the engine's amount output, a
    limit no approval exceeds) and the first approval's (issue 14, deliverable 3).
    """
    from equiserve.cases.services import requested_amount

    rows = []
    requested = requested_amount(case)
    if requested is not None:
        rows.append((_("Amount requested"), money(requested)))
    if programme.amount_output and assessment is not None:
        planned = (assessment.proposal or {}).get("amount")
        if planned is not None:
            rows.append(
                (_("The plan's amount (the most that can be granted)"), money(planned))
            )
    if first_approval is not None:
        rows.append((_("First approval"), money(first_approval.amount)))
    return rows


def appeal_consequences(case: Case, decision: str) -> list[str]:
    """Say in words what deciding an appeal will do (issue 14, deliverable 4)."""
    from equiserve.cases.engine import assess

    programme = PROGRAMMES[case.programme]
    result = assess(programme, case.applicant, case.facts, case.applied_on)
    lines = [
        _("The case is assessed again with the plan's rules: eligible.")
        if result.eligible
        else _("The case is assessed again with the plan's rules: not eligible.")
    ]
    lines.append(
        {
            Action.APPROVE: _(
                "Then the appeal is upheld: %(name)s is granted what the plan "
                "provides, or a second officer confirms it above the threshold."
            ),
            Action.REJECT: _(
                "Then the appeal is dismissed: the case is closed as rejected, "
                "with your reason."
            ),
            Action.RETURN: _(
                "Then the case is returned to %(name)s for more information."
            ),
        }.get(decision, _("Then your decision is recorded."))
        % {"name": case.applicant.name}
    )
    lines.append(_("If the new assessment refuses the decision, nothing is saved."))
    return lines


def approval_consequences(case: Case, plan) -> list[str]:
    """Say in words what an approval will do (the confirmation step, deliverable 4)."""
    lines = []
    if plan.target == Status.AWAITING_SECOND:
        lines.append(
            _(
                "Your approval of %(amount)s is recorded; amounts above %(threshold)s "
                "wait for a second, different officer before anything is granted."
            )
            % {
                "amount": money(plan.granted),
                "threshold": money(second_approval_threshold()),
            }
        )
    elif plan.granted is not None:
        lines.append(
            _("%(name)s is granted %(amount)s; payments can then be recorded.")
            % {"name": case.applicant.name, "amount": money(plan.granted)}
        )
    else:
        lines.append(
            _(
                "%(name)s is granted the programme's services; deliveries can then be recorded."
            )
            % {"name": case.applicant.name}
        )
    if (
        plan.requested is not None
        and plan.granted is not None
        and plan.granted > plan.requested
    ):
        lines.append(
            _("This is %(more)s more than the %(requested)s requested.")
            % {
                "more": money(plan.granted - plan.requested),
                "requested": money(plan.requested),
            }
        )
    lines.append(
        _(
            "The decision and its reason go to the audit log; only an appeal reopens the case."
        )
    )
    return lines


def case_context(
    request,
    case: Case,
    *,
    error=None,
    notice=None,
    posted=None,
    refused_fields=None,
    confirm=None,
) -> dict:
    """Return the template context of the case page (and its htmx body)."""
    user = request.user
    lang = lang_key(translation.get_language())
    programme = PROGRAMMES[case.programme]
    health_ok = permissions.sees_health_details(user, case)
    # Beside the applicant's name nothing may tell a health programme to a
    # role that may not see it (issue 10, finding 7).
    shown = permissions.shows_programme(user, case.programme)
    assessment = selectors.latest_assessment(case)
    entitlement = selectors.active_entitlement(case)
    explanation = []
    if assessment is not None and health_ok:
        explained = selectors.explanation_for(assessment, lang)
        for name in programme.outputs:
            item = explained.get(name, {})
            explanation.append(
                {
                    "name": name,
                    "label": _output_label(name, lang),
                    "value": _output_value(
                        name, assessment.answer.get(name), programme, lang
                    ),
                    "clause": item.get("clause", programme.clause),
                    "text": item.get("text", ""),
                    "steps": item.get("steps", []),
                }
            )
    actions = [
        action
        for action in allowed_actions(case.status)
        if permissions.may_act(user, case, action)
    ]
    first_approval = None
    if case.status == Status.AWAITING_SECOND:
        first_approval = case.decisions.filter(kind="first_approval").last()
    facts_form = None
    if Action.UPDATE_FACTS in actions and health_ok:
        initial = {f"fact_{k}": v for k, v in case.facts.items()}
        initial.update(version=case.version, documents=case.documents)
        facts_form = FactsForm(programme, initial=initial, lang=lang)
    return {
        "case": case,
        "programme": programme,
        "programme_shown": shown,
        "programme_label": programme.label_in(lang)
        if shown
        else selectors.restricted_label(),
        "grants": programme.grants_in(lang) if shown else "—",
        "lang": lang,
        "health_hidden": not health_ok,
        "facts": _facts(programme, case, assessment) if health_ok else [],
        "documents": [
            (document.label_in(lang), document.code in case.documents)
            for document in programme.documents
        ]
        if shown
        else [],
        "assessment": assessment,
        # Facts an undetermined assessment still needs: no approval without them.
        "missing_facts": _missing_facts(assessment, programme, lang)
        if assessment and health_ok
        else [],
        "undetermined": bool(
            assessment
            and (assessment.answer or {})
            .get("undetermined", {})
            .get(programme.eligibility)
        ),
        "explanation": explanation,
        "parameters": _parameters(assessment, lang) if assessment and health_ok else [],
        "entitlement": entitlement,
        "progress": selectors.entitlement_progress(case, entitlement, lang)
        if entitlement and shown
        else None,
        "timeline": selectors.case_timeline(case, lang, restricted=not shown),
        "sees_household": sees_household(user, case.household),
        "household_cases": [
            c
            for c in (
                selectors.household_cases(user, case.household)
                if case.household_id
                else []
            )
            if c.pk != case.pk
        ],
        "labels": selectors.programme_labels_for(user, lang),
        "actions": actions,
        "first_approval": first_approval,
        "threshold": second_approval_threshold(),
        "facts_form": facts_form,
        "delivery_items": _delivery_items(programme, entitlement, lang)
        if shown
        else [],
        # Whom a payment may go to, for a programme that names its payee (issue 15).
        "payee_choices": [
            (code, label)
            for code, label in PayeeKind.choices
            if code in programme.payees
        ],
        "today": timezone.localdate(),
        "error": error,
        "notice": notice,
        "posted": posted or {},
        "acknowledge_needed": "acknowledge_above_request" in (refused_fields or {})
        or bool(posted and posted.get("acknowledge_above_request")),
        "amount_comparison": amount_comparison(
            case, programme, assessment, first_approval
        )
        if shown
        else [],
        "confirm": confirm,
        "under_appeal": case.status == Status.APPEALED,
        # One action decides an appeal: assess again, then decide (issue 14).
        "decides_appeal": case.status == Status.APPEALED
        and Action.ASSESS in actions
        and permissions.may_act(user, case, Action.APPROVE),
    }


def _facts(programme, case: Case, assessment) -> list[tuple[str, str]]:
    """Return (label, value) of the programme's facts: as stated, else as assessed."""
    used = {}
    if assessment is not None and assessment.inputs.get("persons"):
        used = assessment.inputs["persons"][0]
    rows = []
    for name in programme.facts:
        if name in case.facts:
            shown = display_value(name, case.facts[name])
        elif used.get(name) is not None:
            shown = _("%(value)s (from the registry)") % {
                "value": display_value(name, used[name])
            }
        else:
            shown = "—"
        rows.append((FACTS[name].label, shown))
    return rows


def _parameter_status(status: str, owner: str | None, lang: str) -> str:
    """Return a parameter's status in words, as the engine's explanations say it."""
    from equiserve.policy.messages import catalogue

    key = lang_key(lang)
    texts = catalogue()["statuses"].get(status)
    if texts is None:
        return status
    department = catalogue()["departments"].get(owner or "", {}).get(key, owner or "")
    return texts[key].format(owner=department)


def _parameters(assessment, lang: str) -> list[dict]:
    rows = []
    for name, record in assessment.parameters.items():
        unit = record.get("unit", "")
        for value in record["values"]:
            shown = value["value"]
            if isinstance(shown, list):
                shown = "; ".join(str(v) for v in shown)
            # Money as "¥12,000.00", units in words (issue 14).
            shown_unit = unit_label(unit)
            if str(unit).startswith("CNY"):
                shown = money(shown)
                shown_unit = {
                    "CNY/year": _("a year"),
                    "CNY/month": _("a month"),
                }.get(unit, "")
            rows.append(
                {
                    "name": name,
                    "label": record["label"].get(lang, name),
                    "value": shown,
                    "unit": shown_unit,
                    "from": value["from"],
                    "status": _parameter_status(
                        value["status"], record.get("owner"), lang
                    ),
                    "reference": value["reference"],
                }
            )
    return rows


def _delivery_items(programme, entitlement, lang: str) -> list[tuple[str, str]]:
    if entitlement is None:
        return []
    items = []
    if entitlement.amount is not None:
        items.append((PAYMENT, _("Payment (CNY)")))
    for code, _limit in programme.in_order(entitlement.items):
        item = programme.item(code)
        if item:
            items.append((code, f"{item.label_in(lang)} ({item.unit_in(lang)})"))
    return items
