"""Clause 3.7's rules: the small guaranteed loan's limit, schedule and interest subsidy.

The figures are the plan's parameters (`plans/<plan>/parameters/employment/`),
read as in force on the day; the cases are in
`plans/<plan>/employment/cases/clause_3_7.yaml` (issue 15). Money is exact to the
fen: amounts are Decimal yuan, every amount rounded half up to 0.01. The
employment-difficulty categories are the engine's (`plans/<plan>/rules/clause_3_7.py`).
`parameter` is `(name, day) -> value` (the plan gateway's `parameter_on`).
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

Parameter = Callable[[str, dt.date], object]
FEN = Decimal("0.01")
# Banks in China accrue a day's interest at the annual rate ÷ 360 (日利率 = 年利率 ÷ 360).
DAYS_PER_YEAR = Decimal(360)


def months_later(day: dt.date, months: int) -> dt.date:
    """Return the same day `months` later (the month's last day when it has fewer)."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return day.replace(
        year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1])
    )


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


# Small guaranteed loans repaid in monthly instalments (issue 15, deliverable 4).
EQUAL_PRINCIPAL, ANNUITY = "equal_principal", "annuity"
MONTHS_PER_YEAR = Decimal(12)


@dataclass(frozen=True)
class Instalment:
    """One monthly instalment: what was owed before it, its principal, interest, subsidy."""

    number: int
    due_on: dt.date
    outstanding: Decimal
    principal: Decimal
    interest: Decimal
    subsidy: Decimal


def loan_limit(granted_on: dt.date, parameter: Parameter) -> Decimal:
    """Return the highest principal of a guaranteed loan granted on `granted_on`."""
    return Decimal(str(parameter("employment.guaranteed_loan_limit", granted_on)))


def repayment_schedule(
    *,
    principal: Decimal,
    annual_rate: Decimal,
    months: int,
    method: str,
    granted_on: dt.date,
    parameter: Parameter,
) -> list[Instalment]:
    """Return a guaranteed loan's monthly instalments with the interest subsidy (3.7).

    Instalment k falls due k months after the grant. Its interest is the principal
    still owed × the annual rate ÷ 12 (月利率 = 年利率 ÷ 12), rounded half up to the
    fen. Equal principal (等额本金): each instalment repays the principal ÷ months,
    rounded down to the fen, the last one what remains. Annuity (等额本息): the level
    payment P·r ÷ (1 − (1 + r)^−n), rounded half up to the fen, repays the payment
    less the interest; the last one clears what remains. Rounding rule of the
    subsidy: per instalment, never on a total — the interest on the principal owed
    up to the limit in force on the grant day, rounded half up to the fen, times the
    subsidised share, rounded half up to the fen, for an instalment due on or
    before the subsidy period's end; later instalments get none.
    """
    if method not in (EQUAL_PRINCIPAL, ANNUITY):
        raise ValueError(f"unknown repayment method {method!r}")
    if months < 1 or principal <= 0 or annual_rate < 0:
        raise ValueError("a loan has a positive principal, term and a rate")
    principal = Decimal(principal).quantize(FEN)
    rate = Decimal(annual_rate) / MONTHS_PER_YEAR
    limit = loan_limit(granted_on, parameter)
    share = Decimal(
        str(parameter("employment.loan_interest_subsidy_share", granted_on))
    )
    subsidy_end = months_later(
        granted_on, int(parameter("employment.loan_subsidy_max_months", granted_on))
    )
    if method == EQUAL_PRINCIPAL:
        level = (principal / months).quantize(FEN, rounding=ROUND_DOWN)
    elif rate == 0:
        level = _fen(principal / months)
    else:
        level = _fen(principal * rate / (1 - (1 + rate) ** -months))
    outstanding = principal
    schedule = []
    for number in range(1, months + 1):
        due_on = months_later(granted_on, number)
        interest = _fen(outstanding * rate)
        if number == months:
            repaid = outstanding
        elif method == EQUAL_PRINCIPAL:
            repaid = level
        else:
            repaid = level - interest
        subsidy = Decimal("0.00")
        if due_on <= subsidy_end:
            subsidised = interest if outstanding <= limit else _fen(limit * rate)
            subsidy = _fen(subsidised * share)
        schedule.append(
            Instalment(number, due_on, outstanding, repaid, interest, subsidy)
        )
        outstanding -= repaid
    return schedule
