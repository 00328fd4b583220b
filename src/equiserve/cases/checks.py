"""System checks: the programmes must match the plan (equiserve.E040), and the
maker–checker threshold must be an amount (equiserve.E041)."""

from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core import checks

from equiserve.cases.programmes import PROGRAMMES


@checks.register()
def programmes_match_the_plan(app_configs, **kwargs):
    """Report a programme that names an engine output the plan does not have."""
    from equiserve.policy import PlanLoadError, load_plan

    try:
        outputs = set(load_plan(settings.EQUISERVE_PLAN_DIR).outputs("person"))
    except PlanLoadError:
        return []  # the policy app reports a plan that does not load
    errors = []
    for programme in PROGRAMMES.values():
        named = {programme.eligibility, *programme.outputs}
        named |= {item.limit_output for item in programme.items if item.limit_output}
        for missing in sorted(named - outputs - {None}):
            errors.append(
                checks.Error(
                    f"programme {programme.code} ({programme.clause}) reads the "
                    f"output {missing}, which the plan does not compute",
                    hint="Fix equiserve/cases/programmes.py or the plan's rules.",
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
