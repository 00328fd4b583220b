"""`/api/v1/budget/...`: the year's budget execution, and finance entering a budget.

A bearer token and the pages' scope: a town officer reads their town's lines, a
department its programmes'; only the Finance Bureau enters budgets (others get
the same 404 as for a missing record). Money is a decimal string, exact to the fen.
"""

from typing import Annotated

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Field, Query, Router, Schema, Status
from ninja.errors import HttpError

from equiserve.accounts.api import BearerAuth
from equiserve.api_inputs import decimal_number
from equiserve.budget.models import Funding
from equiserve.budget.permissions import budget_reach, require_budget_writer
from equiserve.budget.selectors import execution
from equiserve.budget.services import budget_line_enter

router = Router(tags=["budget"], auth=BearerAuth())
YEAR = Annotated[int, Field(ge=2014, le=2016)]


class ExecutionQuery(Schema):
    year: YEAR = 2015


class LineOut(Schema):
    programme: str
    clause: str
    town: str | None
    funding: str
    estimate: str | None
    budget: str | None
    budget_version: int | None
    committed: str
    paid: str
    forecast: str | None
    budget_less_committed: str | None
    budget_less_paid: str | None
    budget_less_forecast: str | None


class ExecutionOut(Schema):
    year: int
    on: str
    money: str = "CNY"
    lines: list[LineOut]


def _text(value) -> str | None:
    return None if value is None else str(value)


@router.get("/budget/execution", response=ExecutionOut)
def budget_execution(request, query: Query[ExecutionQuery]):
    """Return the year's budget execution per programme × town × funding source."""
    towns, programmes = budget_reach(request.auth)
    result = execution(query.year, towns=towns, programmes=programmes)
    return {
        "year": result.year,
        "on": result.on.isoformat(),
        "lines": [
            {
                "programme": r.programme,
                "clause": r.clause,
                "town": r.town,
                "funding": r.funding,
                "estimate": _text(r.estimate),
                "budget": _text(r.budget),
                "budget_version": r.budget_version,
                "committed": str(r.committed),
                "paid": str(r.paid),
                "forecast": _text(r.forecast),
                "budget_less_committed": _text(r.uncommitted),
                "budget_less_paid": _text(r.unpaid),
                "budget_less_forecast": _text(r.forecast_variance),
            }
            for r in result.rows
        ],
    }


class LineIn(Schema):
    year: YEAR
    programme: str = Field(max_length=32)
    town: str | None = Field(default=None, max_length=9)
    funding: Funding
    amount: decimal_number(14, 2)
    note: str = Field(default="", max_length=200)


class LineCreated(Schema):
    id: int
    version: int
    amount: str


@router.post("/budget/lines", response={201: LineCreated})
def budget_line_create(request, data: LineIn):
    """Enter a new version of a budget line (the Finance Bureau only)."""
    try:
        require_budget_writer(request.auth)
    except Http404:
        raise HttpError(404, "Not Found") from None
    try:
        line = budget_line_enter(
            year=data.year,
            programme=data.programme,
            town_code=data.town,
            funding=data.funding,
            amount=data.amount,
            note=data.note,
            actor=request.auth,
        )
    except ValidationError as error:
        raise HttpError(422, "; ".join(error.messages)) from None
    return Status(
        201, {"id": line.pk, "version": line.version, "amount": str(line.amount)}
    )
