"""System checks: casework can take every fact the plan's programmes state
(equiserve.E040), and the maker–checker threshold must be an amount (equiserve.E041).
"""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import checks


@checks.register()
def programmes_match_the_plan(app_configs, **kwargs):
    """Report a programme fact casework has no form field for (cases/facts.py).

    The engine checks the rest of programmes.yaml (outputs, clauses, departments)
    when it loads the plan.
    """
    from equiserve.cases.facts import FACTS
    from equiserve.cases.programmes import PROGRAMMES
    from equiserve.policy import PlanLoadError

    try:
        programmes = list(PROGRAMMES.values())
    except PlanLoadError:
        return []  # the policy app reports a plan that does not load
    errors = []
    for programme in programmes:
        for missing in [fact for fact in programme.facts if fact not in FACTS]:
            errors.append(
                checks.Error(
                    f"programme {programme.code} ({programme.clause}) asks for the "
                    f"fact {missing}, which casework cannot take",
                    hint="Fix the plan's programmes.yaml or equiserve/cases/facts.py.",
                    id="equiserve.E040",
                )
            )
    return errors


@checks.register()
def second_approval_threshold_is_an_amount(app_configs, **kwargs):
    """Report an EQUISERVE_CASES_SECOND_APPROVAL_ABOVE that is not an amount ≥ 0."""
    value = getattr(settings, "EQUISERVE_CASES_SECOND_APPROVAL_ABOVE", None)
    if value is None:
        return []
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        amount = None
    if amount is None or not amount.is_finite() or amount < 0:
        return [
            checks.Error(
                f"EQUISERVE_CASES_SECOND_APPROVAL_ABOVE is {value!r}, not an amount "
                "in CNY of 0 or more",
                id="equiserve.E041",
            )
        ]
    return []
