"""Budget execution as people read it: labels, domains, money; pages, XLSX and API."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from equiserve.budget.models import Funding
from equiserve.budget.selectors import Execution, ExecutionRow
from equiserve.charts import against_target
from equiserve.formatting import town_name
from equiserve.rules import plan_gateway


def lang() -> str:
    return "en" if (get_language() or "").startswith("en") else "zh"


def programme_label(code: str) -> str:
    programme = plan_gateway.plan().programmes.get(code)
    return programme.label_in(lang()) if programme else code


def standard_label(code: str) -> str:
    from equiserve.facilities.presentation import standard_label as label

    try:
        return str(label(code))
    except KeyError:
        return code


def domains() -> list[tuple[str, str]]:
    """Return (id, title) of the plan's domains, in the catalogue's order."""
    from equiserve.portal.catalogue import load_catalogue

    return [(d.id, d.title.get(lang(), d.id)) for d in load_catalogue().domains]


def row_dict(row: ExecutionRow) -> dict:
    """Return one line with its labels, and how its forecast stands to the budget."""
    return {
        "row": row,
        "clause": row.clause,
        "domain": row.domain,
        "programme": programme_label(row.programme),
        "town": town_name(row.town) if row.town else _("City-wide"),
        "funding": Funding(row.funding).label,
        # Spending within the budget is "met": the forecast at most the budget.
        "category": against_target(
            None if row.forecast is None else float(row.forecast),
            None if row.budget is None else float(row.budget),
            "at_most",
        ),
    }


def by_domain(execution: Execution) -> list[dict]:
    """Return the lines grouped by the plan's domains, with each domain's totals."""
    rows = [row_dict(r) for r in execution.rows]
    groups = []
    for domain_id, title in domains():
        mine = [r for r in rows if r["domain"] == domain_id]
        if not mine:
            continue
        groups.append(
            {
                "id": domain_id,
                "title": title,
                "rows": mine,
                "totals": {
                    name: sum(
                        (getattr(r["row"], name) or Decimal(0) for r in mine),
                        Decimal(0),
                    )
                    for name in ("estimate", "budget", "committed", "paid", "forecast")
                },
            }
        )
    return groups


COLUMNS = (
    ("clause", gettext_lazy("Clause")),
    ("programme", gettext_lazy("Programme")),
    ("town", gettext_lazy("Town")),
    ("funding", gettext_lazy("Funding source")),
    ("estimate", gettext_lazy("Estimate")),
    ("budget", gettext_lazy("Budget")),
    ("budget_version", gettext_lazy("Budget version")),
    ("committed", gettext_lazy("Committed")),
    ("paid", gettext_lazy("Paid")),
    ("forecast", gettext_lazy("Forecast for the year")),
    ("uncommitted", gettext_lazy("Budget less committed")),
    ("unpaid", gettext_lazy("Budget less paid")),
    ("forecast_variance", gettext_lazy("Budget less forecast")),
)
