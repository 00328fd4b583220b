"""Demo budget execution: the 2015 estimate from a run of the demo city, and the
Finance Bureau's demo budgets (the estimate rounded up to the hundred yuan, a
second version for one line). Deterministic; a few seconds (one run of the
demo population)."""

import datetime as dt
from decimal import ROUND_CEILING, Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from equiserve.audit.models import AuditEntry
from equiserve.audit.services import audit_record
from equiserve.budget.estimate import estimates_refresh
from equiserve.budget.models import BudgetLine, Estimate, EstimateKind
from equiserve.budget.services import BUDGET_LINE, budget_line_enter

DEMO_YEAR = 2015
HUNDRED = Decimal("100")


def budget_demo_load(*, population: Path) -> dict[str, int]:
    """Store the demo year's estimate (the run is of the demo city itself: no
    scaling) and enter demo budgets as the demo finance account."""
    from equiserve.simulation.run import simulate

    out = Path(settings.VAR_DIR) / f"demo-run-{DEMO_YEAR}"
    simulate(date=dt.date(DEMO_YEAR, 7, 1), population=population, out=out)
    counts = estimates_refresh(year=DEMO_YEAR, run_dir=out)
    finance = get_user_model().objects.get(username="finance")
    with transaction.atomic():
        BudgetLine.objects.filter(year=DEMO_YEAR).delete()
        lines = [
            BudgetLine(
                year=DEMO_YEAR,
                programme=e.code,
                town_id=e.town_id,
                funding=e.funding,
                version=1,
                amount=(e.amount / HUNDRED).to_integral_value(ROUND_CEILING) * HUNDRED,
                note="demo",
                entered_by=finance,
            )
            for e in Estimate.objects.filter(
                year=DEMO_YEAR, kind=EstimateKind.PROGRAMME
            ).order_by("code", "town_id")
        ]
        BudgetLine.objects.bulk_create(lines)
        audit_record(
            actor=finance,
            action=AuditEntry.Action.IMPORT,
            object_type=BUDGET_LINE,
            summary=f"demo budgets {DEMO_YEAR}: {len(lines)} lines",
        )
    first = next((line for line in lines if line.town_id), None)
    if first is not None:
        budget_line_enter(
            year=DEMO_YEAR,
            programme=first.programme,
            town_code=first.town_id,
            funding=first.funding,
            amount=first.amount + Decimal("5000.00"),
            note="demo: a second version",
            actor=finance,
        )
    return {str(kind): count for kind, count in counts.items()} | {
        "budgets": len(lines)
    }
