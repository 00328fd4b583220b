"""Reads of the projects tracker: lists, budgets, the overdue list, a period's milestones."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Q, QuerySet, Sum

from equiserve.projects.models import Milestone, MilestoneStatus, Project, Spending

ZERO = Decimal("0.00")


@dataclass(frozen=True)
class ProjectBudget:
    """One project's money: its budget and what was paid, exact to the fen."""

    code: str
    name: str
    name_en: str
    clause: str
    lead_department: str
    town_code: str  # "" for a city-wide project
    funding_source: str  # "city" or "town"
    status: str
    illustrative: bool
    budget: Decimal
    spent: Decimal  # in the period asked for (the year, or up to `on`)
    spent_to_date: Decimal  # everything paid up to `on` (or ever)

    @property
    def remaining(self) -> Decimal:
        return self.budget - self.spent_to_date


def project_list(
    *, department: str | None = None, town_code: str | None = None
) -> QuerySet[Project]:
    """Return projects, optionally of one lead department or one town."""
    projects = Project.objects.select_related("town").order_by("clause", "code")
    if department:
        projects = projects.filter(lead_department=department)
    if town_code:
        projects = projects.filter(town_id=town_code)
    return projects


def project_budgets(
    *,
    year: int | None = None,
    department: str | None = None,
    town_code: str | None = None,
    on: date | None = None,
) -> list[ProjectBudget]:
    """Return each project's budget and spending (issue 18 reads this; clause 4.3).

    `spent` is what was paid in `year` (every year when None), up to `on`
    when given; `spent_to_date` is everything paid up to `on`. Amounts are
    Decimals to the fen. Filters: lead `department`, `town_code`.
    """
    paid = Spending.objects.all()
    if on is not None:
        paid = paid.filter(paid_on__lte=on)
    in_period = paid.filter(paid_on__year=year) if year is not None else paid
    spent = dict(
        in_period.values_list("project_id").annotate(s=Sum("amount")).order_by()
    )
    to_date = dict(paid.values_list("project_id").annotate(s=Sum("amount")).order_by())
    return [
        ProjectBudget(
            code=p.code,
            name=p.name,
            name_en=p.name_en,
            clause=p.clause,
            lead_department=p.lead_department,
            town_code=p.town_id or "",
            funding_source=p.funding_source,
            status=p.status,
            illustrative=p.illustrative,
            budget=p.budget,
            spent=spent.get(p.pk) or ZERO,
            spent_to_date=to_date.get(p.pk) or ZERO,
        )
        for p in project_list(department=department, town_code=town_code)
    ]


def overdue_q(today: date) -> Q:
    """A milestone is overdue when marked late, or not done by its planned date."""
    return Q(status=MilestoneStatus.LATE) | (
        ~Q(status=MilestoneStatus.DONE) & Q(planned_date__lt=today)
    )


def overdue_milestones(
    *, today: date, department: str | None = None
) -> QuerySet[Milestone]:
    """Return the milestones overdue on `today`, earliest planned first."""
    milestones = Milestone.objects.select_related("project", "project__town").filter(
        overdue_q(today)
    )
    if department:
        milestones = milestones.filter(project__lead_department=department)
    return milestones.order_by("planned_date", "project__code", "position", "pk")


def milestones_in_period(
    *, department: str, start: date, end: date
) -> QuerySet[Milestone]:
    """Return a department's milestones planned or completed within [start, end]."""
    return (
        Milestone.objects.select_related("project")
        .filter(project__lead_department=department)
        .filter(
            Q(planned_date__range=(start, end)) | Q(actual_date__range=(start, end))
        )
        .order_by("project__clause", "project__code", "position", "pk")
    )
