"""Writes of budget execution: finance enters budgets; estimates are replaced."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.budget.models import BudgetLine, Estimate
from equiserve.budget.permissions import require_budget_writer
from equiserve.rules import plan_gateway

BUDGET_LINE = "budget.budgetline"
ESTIMATE = "budget.estimate"
FEN = Decimal("0.01")


@transaction.atomic
def budget_line_enter(
    *,
    year: int,
    programme: str,
    town_code: str | None,
    funding: str,
    amount: Decimal,
    note: str = "",
    actor,
) -> BudgetLine:
    """Enter a new version of a budget line; earlier versions stay as they were."""
    require_budget_writer(actor)
    if programme not in plan_gateway.plan().programmes:
        raise ValidationError({"programme": "not a programme of the plan"})
    amount = Decimal(amount)
    if amount != amount.quantize(FEN):
        raise ValidationError({"amount": "an amount is exact to the fen"})
    key = {
        "year": year,
        "programme": programme,
        "town_id": town_code or None,
        "funding": funding,
    }
    # Lock the key's versions so that two entries cannot take the same number.
    latest = (
        BudgetLine.objects.select_for_update()
        .filter(**key)
        .aggregate(v=Max("version"))["v"]
    )
    line = BudgetLine(
        **key, version=(latest or 0) + 1, amount=amount, note=note, entered_by=actor
    )
    line.full_clean()
    line.save()
    audit_record(
        actor=actor,
        action=AuditEntry.Action.CREATE,
        object_type=BUDGET_LINE,
        object_id=line.pk,
        town_code=town_code or "",
        summary=f"budget {year} {programme} {funding} v{line.version}: {amount}",
        changes={"amount": str(amount), "version": line.version},
    )
    return line


@transaction.atomic
def estimates_replace(*, year: int, kind: str, rows: Iterable[dict], actor=None) -> int:
    """Replace the estimates of one kind for `year` by `rows`; return how many.

    A row: code, town (code or None), funding, amount (Decimal), units, source.
    """
    Estimate.objects.filter(year=year, kind=kind).delete()
    made = Estimate.objects.bulk_create(
        Estimate(
            year=year,
            kind=kind,
            code=row["code"],
            town_id=row.get("town") or None,
            funding=row["funding"],
            amount=Decimal(row["amount"]).quantize(FEN),
            units=row.get("units"),
            source=str(row.get("source", ""))[:200],
        )
        for row in rows
    )
    if actor is not None:
        audit_record(
            actor=actor,
            action=AuditEntry.Action.IMPORT,
            object_type=ESTIMATE,
            summary=f"estimates {year} {kind}: {len(made)} rows",
        )
    return len(made)
