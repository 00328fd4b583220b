"""Clause 3.7's rules: employment-difficulty categories and the loan interest subsidy.

The figures are the plan's parameters (`plans/<plan>/parameters/employment/`),
read as in force on the day; the cases are in
`plans/<plan>/employment/cases/clause_3_7.yaml` (issue 15). Money is exact to the
fen: amounts are Decimal yuan, every amount rounded half up to 0.01.
`parameter` is `(name, day) -> value` (the plan gateway's `parameter_on`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

Parameter = Callable[[str, dt.date], object]
FEN = Decimal("0.01")
# Banks in China accrue a day's interest at the annual rate ÷ 360 (日利率 = 年利率 ÷ 360).
DAYS_PER_YEAR = Decimal(360)

AGE, LONG_TERM, ZERO_EMPLOYMENT_FAMILY = "age", "long_term", "zero_employment_family"


def months_later(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later (the month's last day when it has fewer)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


def age_on(birth: dt.date, day: dt.date) -> int:
    """Return whole years of age on `day` (a birthday counts on the day)."""
    return day.year - birth.year - ((day.month, day.day) < (birth.month, birth.day))


def difficulty_categories(
    *,
    sex: str,
    birth_date: dt.date,
    registered_on: dt.date | None,
    zero_employment_family: bool,
    day: dt.date,
    parameter: Parameter,
) -> list[str]:
    """Return the employment-difficulty categories (就业困难人员) a person is in on `day`.

    By age: a woman from the women's age, a man from the men's (以上 includes the
    number); long-term unemployed: registered unemployed for the parameter's months
    or more; a member of a zero-employment family (3.7).
    """
    found = []
    name = "women" if sex == "F" else "men"
    if age_on(birth_date, day) >= int(
        parameter(f"employment.difficulty_min_age_{name}", day)
    ):
        found.append(AGE)
    months = int(parameter("employment.long_term_unemployed_months", day))
    if registered_on is not None and months_later(registered_on, months) <= day:
        found.append(LONG_TERM)
    if zero_employment_family:
        found.append(ZERO_EMPLOYMENT_FAMILY)
    return found


@dataclass(frozen=True)
class SubsidyPeriod:
    """One repayment period: its days, the principal subsidised, interest and subsidy."""

    start: dt.date
    end: dt.date
    days: int
    subsidised_principal: Decimal
    interest: Decimal
    subsidy: Decimal


def _fen(amount: Decimal) -> Decimal:
    return amount.quantize(FEN, rounding=ROUND_HALF_UP)


def interest_subsidy(
    *,
    principal: Decimal,
    annual_rate: Decimal,
    granted_on: dt.date,
    repayments: Sequence[tuple[dt.date, Decimal]],
    parameter: Parameter,
) -> list[SubsidyPeriod]:
    """Return the interest subsidy of a small guaranteed loan per repayment period (3.7).

    Between repayments interest accrues on the outstanding principal at the annual
    rate ÷ 360 a day. The subsidy covers the interest on the outstanding principal
    up to the limit in force on the grant day, for the days within the subsidy
    period from the grant, times the subsidised share; each period's interest and
    subsidy are rounded half up to the fen.
    """
    limit = Decimal(str(parameter("employment.guaranteed_loan_limit", granted_on)))
    share = Decimal(
        str(parameter("employment.loan_interest_subsidy_share", granted_on))
    )
    months = int(parameter("employment.loan_subsidy_max_months", granted_on))
    subsidy_end = months_later(granted_on, months)
    outstanding = Decimal(principal)
    start = granted_on
    periods = []
    for day, repaid in repayments:
        if day <= start:
            raise ValueError("repayments must come after the grant, in order")
        days = (min(day, subsidy_end) - start).days if start < subsidy_end else 0
        subsidised = _fen(min(outstanding, limit))
        interest = _fen(
            subsidised * Decimal(annual_rate) * max(days, 0) / DAYS_PER_YEAR
        )
        periods.append(
            SubsidyPeriod(
                start, day, max(days, 0), subsidised, interest, _fen(interest * share)
            )
        )
        outstanding -= Decimal(repaid)
        start = day
    return periods
