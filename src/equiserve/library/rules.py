"""The loan rules in force: the plan's dated parameters per library type (3.2.2)."""

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal

from equiserve.rules.plan_gateway import parameter_on


@dataclass(frozen=True)
class LoanRules:
    period_days: int
    limit: int
    renewals: int
    fine_per_day: Decimal


def loan_rules(kind: str, day: dt.date) -> LoanRules:
    """Return the loan rules of a library of type `kind` on `day`."""
    prefix = f"library.{kind}."
    return LoanRules(
        period_days=parameter_on(prefix + "loan_period_days", day) or 0,
        limit=parameter_on(prefix + "loan_limit", day) or 0,
        renewals=parameter_on(prefix + "renewals", day) or 0,
        fine_per_day=Decimal(parameter_on(prefix + "fine_per_day", day) or 0),
    )
